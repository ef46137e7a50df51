import torch
from torch import nn

def integrated_gradients(f, x, baseline, steps=256):
    alphas = (torch.arange(steps) + 0.5) / steps   # midpoint rule
    path = baseline + alphas[:, None] * (x - baseline)
    path.requires_grad_(True)
    grads, = torch.autograd.grad(f(path).sum(), path)
    return (x - baseline) * grads.mean(0)

torch.manual_seed(0)
x, zero = torch.tensor([1.0, 2.0, -4.0]), torch.zeros(3)
w = torch.tensor([2.0, -1.0, 0.5])
linear = lambda z: z @ w + 0.3
# linear model: IG is exactly (x - x') * w
assert torch.allclose(integrated_gradients(linear, x, zero), x * w)

net = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 1))
f = lambda z: net(z).squeeze(-1)
ig = integrated_gradients(f, x, zero)
# completeness: attributions add up to f(x) - f(baseline)
assert torch.isclose(ig.sum(), f(x) - f(zero), atol=1e-3)

other = torch.full((3,), 0.5)           # a different reference patient
ig_other = integrated_gradients(f, x, other)
assert not torch.allclose(ig, ig_other, atol=1e-2)  # baseline matters
print("IG against the zero baseline:", ig.detach())
