import torch

x = torch.randn(1024, 1024)
xp = x.pin_memory()                                # page-locked copy the GPU can DMA from
assert not x.is_pinned() and xp.is_pinned() and torch.equal(xp, x)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=256,
                                     pin_memory=True)
assert next(iter(loader))[0].is_pinned()           # the loader pins each batch for you

d = xp.to("cuda", non_blocking=True)               # returns at once; the copy runs async
y = d * 2                                          # same stream, so it runs after the copy
h = torch.empty(1024, 1024, pin_memory=True)
h.copy_(y, non_blocking=True)                      # device-to-host, also asynchronous
done = torch.cuda.Event()
done.record()
done.synchronize()                                 # only now is h safe to read on the CPU
assert torch.equal(h, x * 2)

for name, src in (("pageable", x), ("pinned", xp)):
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    src.to("cuda", non_blocking=True)
    end.record()
    end.synchronize()
    print(f"{name}: {x.nbytes / start.elapsed_time(end) / 1e6:.2f} GB/s")
