import time
import torch
from torch.utils import benchmark

n = 8192 if DEVICE == "cuda" else 256
a = torch.randn(n, n, device=DEVICE)
for _ in range(3):
    a @ a                                        # warm-up: library init, allocator, caches
# benchmark.Timer warms up, repeats, and synchronises CUDA for you.
t = benchmark.Timer("a @ a", globals={"a": a}).blocked_autorange(min_run_time=0.1)
assert t.median > 0
print(f"{DEVICE}: a @ a median {t.median * 1e3:.3f} ms")

if DEVICE == "cuda":
    torch.cuda.synchronize()                     # start from an idle GPU
    t0 = time.perf_counter()
    a @ a                                        # returns once the kernel is queued
    launch = time.perf_counter() - t0
    torch.cuda.synchronize()                     # wait for it to finish
    total = time.perf_counter() - t0
    assert launch < 0.5 * total                  # unsynchronised timing measures the launch
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    a @ a
    end.record()
    end.synchronize()                            # both events must have completed
    assert start.elapsed_time(end) > 0           # GPU-side milliseconds
    print(f"launch {launch * 1e3:.3f} ms, synchronised {total * 1e3:.3f} ms, "
          f"events {start.elapsed_time(end):.3f} ms")
