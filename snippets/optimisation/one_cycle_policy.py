import torch
from torch.optim.lr_scheduler import OneCycleLR
p = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=0.1, total_steps=100)  # per batch
lr, mom = [], []
for _ in range(100):
    lr.append(opt.param_groups[0]["lr"])
    mom.append(opt.param_groups[0]["momentum"])
    opt.step(); sched.step()
peak = lr.index(max(lr))
assert abs(lr[0] - 0.1 / 25) < 1e-9        # start: max_lr / div_factor
assert 28 <= peak <= 30 and max(lr) == 0.1  # peak after pct_start=0.3
assert abs(lr[-1] - 0.1 / 25 / 1e4) < 1e-9  # end: 10,000x below start
# momentum runs the opposite way: 0.95 -> 0.85 at the lr peak -> 0.95
assert mom[0] == 0.95 and mom[peak] == 0.85 and mom[-1] == 0.95
try:
    sched.step()                            # one step too many
    raise SystemExit("expected an error")
except ValueError:
    pass
print(f"lr {lr[0]:.0e} -> {max(lr):.0e} (step {peak}) -> {lr[-1]:.0e}")
print(f"momentum {mom[0]} -> {mom[peak]} -> {mom[-1]}")
