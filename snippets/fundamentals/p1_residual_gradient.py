import torch
import torch.nn as nn

torch.manual_seed(0)
blocks = [nn.Sequential(nn.Linear(32, 32), nn.Tanh())
          for _ in range(50)]
x0 = torch.randn(8, 32)

def input_grad(residual):  # H(x) = F(x) + x  versus  H(x) = F(x)
    h = x = x0.clone().requires_grad_()
    for f in blocks:
        h = h + f(h) if residual else f(h)
    h.sum().backward()
    return x.grad.norm().item()

plain, res = input_grad(False), input_grad(True)
print(f"input gradient after 50 blocks: {plain:.1e} vs {res:.1e}")
assert res > 1e6 * plain  # the identity path carries the gradient
f, x = nn.Linear(32, 64), torch.randn(4, 32)  # F changes the width
try:
    f(x) + x; raise AssertionError("expected a shape error")
except RuntimeError:
    pass
proj = nn.Linear(32, 64, bias=False)  # projection shortcut
assert (f(x) + proj(x)).shape == (4, 64)
