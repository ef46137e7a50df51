import torch

torch.manual_seed(0)
p = 0.3
drop = torch.nn.Dropout(p)
x = torch.ones(100_000)

y = drop(x)                                     # training mode
kept = y != 0
assert torch.allclose(y[kept], torch.tensor(1 / (1 - p)))   # survivors scaled by 1/(1-p)
assert abs(kept.float().mean().item() - (1 - p)) < 0.01     # each unit dropped with prob. p
assert abs(y.mean().item() - 1.0) < 0.01                    # expected activation unchanged
print(f"fraction kept: {kept.float().mean().item():.4f}, mean output: {y.mean().item():.4f}")

drop.eval()
assert torch.equal(drop(x), x)                  # inference: identity, no rescaling needed
