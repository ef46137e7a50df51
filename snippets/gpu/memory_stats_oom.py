import torch

MiB = 2**20
base = torch.cuda.memory_allocated()  # bytes in live tensors
x = torch.empty(64 * MiB, device="cuda")  # float32: 256 MiB
assert torch.cuda.memory_allocated() - base == 256 * MiB
torch.cuda.reset_peak_memory_stats()
y = x * 2  # the result needs another 256 MiB
assert torch.cuda.max_memory_allocated() >= base + 512 * MiB
del x, y
assert torch.cuda.memory_allocated() == base  # freed for PyTorch
cached = torch.cuda.memory_reserved()  # ...but still cached
torch.cuda.empty_cache()  # give cached blocks back to the driver
assert torch.cuda.memory_reserved() <= cached - 512 * MiB
try:
    torch.empty(2**48, dtype=torch.uint8, device="cuda")  # 256 TiB
    raise AssertionError("expected OutOfMemoryError")
except torch.OutOfMemoryError as e:  # a RuntimeError subclass
    assert "out of memory" in str(e).lower()
