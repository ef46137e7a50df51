import torch

def integrated_gradients(f, x, baseline, steps=256):
    alphas = (torch.arange(steps) + 0.5) / steps          # midpoint Riemann sum
    path = (baseline + alphas[:, None] * (x - baseline)).requires_grad_(True)
    grads, = torch.autograd.grad(f(path).sum(), path)
    return (x - baseline) * grads.mean(0)

torch.manual_seed(0)
w = torch.tensor([2.0, -1.0, 0.5])
linear = lambda z: z @ w + 0.3
x, zero = torch.tensor([1.0, 2.0, -4.0]), torch.zeros(3)
assert torch.allclose(integrated_gradients(linear, x, zero), (x - zero) * w)  # exact for linear

net = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
f = lambda z: net(z).squeeze(-1)
ig = integrated_gradients(f, x, zero)
assert torch.isclose(ig.sum(), f(x) - f(zero), atol=1e-3)   # completeness axiom

other = torch.tensor([0.5, 0.5, 0.5])                      # a different reference patient
assert not torch.allclose(ig, integrated_gradients(f, x, other), atol=1e-2)  # baseline matters
print("IG vs zero baseline:", ig.detach())
