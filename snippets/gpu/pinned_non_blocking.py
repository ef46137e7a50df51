import torch

x = torch.randn(1024, 1024)
xp = x.pin_memory()  # page-locked copy the GPU can DMA from
assert not x.is_pinned() and xp.is_pinned()
ds = torch.utils.data.TensorDataset(x)
loader = torch.utils.data.DataLoader(ds, 256, pin_memory=True)
assert next(iter(loader))[0].is_pinned()  # loader pins batches

d = xp.to("cuda", non_blocking=True)  # returns at once; async copy
y = d * 2                             # same stream: runs after it
h = torch.empty(1024, 1024, pin_memory=True)
h.copy_(y, non_blocking=True)         # device-to-host, async too
done = torch.cuda.Event()
done.record()
done.synchronize()  # only now is h safe to read on the CPU
assert torch.equal(h, x * 2)
