import torch
from torch import nn

def ig(f, x, base, steps=256):   # integrated gradients
    alphas = (torch.arange(steps) + 0.5) / steps   # midpoint rule
    path = (base + alphas[:, None] * (x - base)).requires_grad_()
    grads, = torch.autograd.grad(f(path).sum(), path)
    return (x - base) * grads.mean(0)

torch.manual_seed(0)
x, zero = torch.tensor([1.0, 2.0, -4.0]), torch.zeros(3)
w = torch.tensor([2.0, -1.0, 0.5])
# linear model: IG is exactly (x - x') * w
assert torch.allclose(ig(lambda z: z @ w + 0.3, x, zero), x * w)

net = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 1))
f = lambda z: net(z).squeeze(-1)
a = ig(f, x, zero)
# completeness: attributions add up to f(x) - f(baseline)
assert torch.isclose(a.sum(), f(x) - f(zero), atol=1e-3)
half = torch.full((3,), 0.5)     # a different reference patient
assert not torch.allclose(a, ig(f, x, half), atol=1e-2)  # matters
print("IG against the zero baseline:", a.detach())
