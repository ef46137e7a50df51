import math
import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR
peak, warm, total = 1e-3, 20, 200
def factor(s):  # linear warm-up to the peak, then half a cosine to 0
    return (s + 1) / warm if s < warm else (
        0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak)
sched, lrs = LambdaLR(opt, factor), []
for _ in range(total):               # once per BATCH, not per epoch
    lrs.append(opt.param_groups[0]["lr"]); opt.step(); sched.step()
assert lrs[0] == peak / warm and lrs[warm] == peak
assert abs(lrs[110] - peak / 2) < 1e-12 and lrs[-1] < peak / 1e3
opt2 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
cos, seen = CosineAnnealingLR(opt2, T_max=10), []  # stepped past T_max
for _ in range(20):
    seen.append(opt2.param_groups[0]["lr"]); opt2.step(); cos.step()
assert seen[10] < 1e-12 and seen[19] > 0.9  # climbs back up again
print(f"lr at steps 0, 20, 110, 199: {lrs[0]:.0e}, {lrs[20]:.0e},"
      f" {lrs[110]:.0e}, {lrs[199]:.0e}")
plt.plot(lrs); plt.axvline(warm, color="gray", ls=":")
plt.xlabel("step (batch)"); plt.ylabel("learning rate")
plt.title("linear warm-up, then cosine decay to 0")
plt.savefig("lr_schedule.svg")
