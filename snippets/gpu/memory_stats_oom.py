import torch

MiB = 2**20
torch.cuda.synchronize()
base = torch.cuda.memory_allocated()                 # bytes held by live tensors
x = torch.empty(64 * MiB, dtype=torch.float32, device="cuda")   # 256 MiB
assert torch.cuda.memory_allocated() - base == 256 * MiB
torch.cuda.reset_peak_memory_stats()
y = x * 2                                            # the result needs another 256 MiB
peak = torch.cuda.max_memory_allocated()
assert peak >= base + 512 * MiB
del x, y
assert torch.cuda.memory_allocated() == base         # freed for PyTorch...
reserved = torch.cuda.memory_reserved()
assert reserved >= 512 * MiB                         # ...but still cached by the allocator
torch.cuda.empty_cache()                             # hand cached blocks back to the driver
assert torch.cuda.memory_reserved() < reserved
torch.cuda.reset_peak_memory_stats()
assert torch.cuda.max_memory_allocated() == torch.cuda.memory_allocated()
try:
    torch.empty(2**48, dtype=torch.uint8, device="cuda")   # 256 TiB cannot fit
    raise AssertionError("expected OutOfMemoryError")
except torch.OutOfMemoryError as e:                        # a subclass of RuntimeError
    assert "out of memory" in str(e).lower()
print(f"peak during x * 2: {peak / MiB:.0f} MiB, cached before empty_cache: {reserved / MiB:.0f} MiB")
