import torch

torch.manual_seed(0)
p = 0.3
drop = torch.nn.Dropout(p)
x = torch.ones(100_000)

y = drop(x)  # training mode
kept = y != 0
# survivors are scaled by 1/(1-p)
assert torch.allclose(y[kept], torch.tensor(1 / (1 - p)))
# each unit is dropped with probability p
assert abs(kept.float().mean().item() - (1 - p)) < 0.01
# the expected activation is unchanged
assert abs(y.mean().item() - 1.0) < 0.01
frac, mean = kept.float().mean().item(), y.mean().item()
print(f"fraction kept: {frac:.4f}, mean output: {mean:.4f}")

drop.eval()
assert torch.equal(drop(x), x)  # inference: identity, no rescaling
