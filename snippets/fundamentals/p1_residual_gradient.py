import torch
import torch.nn as nn

torch.manual_seed(0)
depth, width = 50, 32
blocks = nn.ModuleList(nn.Sequential(nn.Linear(width, width), nn.Tanh()) for _ in range(depth))
x0 = torch.randn(8, width)

def input_grad_norm(residual):
    h = x = x0.clone().requires_grad_()
    for f in blocks:
        h = h + f(h) if residual else f(h)       # H(x) = F(x) + x  versus  H(x) = F(x)
    h.sum().backward()
    return x.grad.norm().item()

plain, res = input_grad_norm(False), input_grad_norm(True)
print(f"gradient norm at the input after {depth} blocks: plain {plain:.2e}, residual {res:.2e}")
assert res > 1e6 * plain   # the identity path carries the gradient back

f, x = nn.Linear(32, 64), torch.randn(4, 32)    # F changes the width: x cannot be added as is
try:
    f(x) + x; raise AssertionError("expected a shape error")
except RuntimeError:
    pass
shortcut = nn.Linear(32, 64, bias=False)        # projection shortcut (1x1 conv in a CNN)
assert (f(x) + shortcut(x)).shape == (4, 64)
