import time
import torch
from torch.utils import benchmark

a = torch.randn(8192, 8192, device="cuda")
timer = benchmark.Timer("a @ a", globals={"a": a})  # syncs for you
median = timer.blocked_autorange(min_run_time=0.2).median

torch.cuda.synchronize()             # start from an idle GPU
t0 = time.perf_counter()
a @ a                                # returns once queued
launch = time.perf_counter() - t0
torch.cuda.synchronize()             # wait for the kernel
total = time.perf_counter() - t0
assert launch < 0.5 * total          # unsynced = launch time only

start = torch.cuda.Event(enable_timing=True)
end = torch.cuda.Event(enable_timing=True)
start.record(); a @ a; end.record()
end.synchronize()                    # both events completed
ms = start.elapsed_time(end)         # GPU-side milliseconds
assert ms > 0
print(f"launch {launch*1e3:.3f} ms, synced {total*1e3:.1f} ms, "
      f"events {ms:.1f} ms, Timer median {median*1e3:.1f} ms")
