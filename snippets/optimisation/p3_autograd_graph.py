import math
import torch
from torch.utils.flop_counter import FlopCounterMode as Flops
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = w * x**2 + torch.sin(x)  # graph recorded as the ops run
y.backward()                 # chain rule from y back to leaves
# by hand: dy/dx = 2wx + cos(x) = 12 + cos 2, dy/dw = x^2
assert math.isclose(x.grad.item(), 12 + math.cos(2), rel_tol=1e-6)
assert w.grad.item() == 4.0
(w * x).backward()           # a second backward ADDS to .grad
assert w.grad.item() == 4.0 + 2.0  # so call zero_grad() yourself
h = w * x                    # intermediate (non-leaf) tensor
h.retain_grad()              # without this, h.grad stays None
(h**2).backward()
assert not h.is_leaf and h.grad.item() == 2 * h.item()
# cost: backward does two matmuls (dL/dX, dL/dW) per forward matmul
lin, xb = torch.nn.Linear(256, 256), torch.randn(64, 256)
xb.requires_grad_()          # the input needs its gradient too
with Flops(display=False) as fwd:
    out = lin(xb).sum()
with Flops(display=False) as bwd:
    out.backward()
ratio = bwd.get_total_flops() / fwd.get_total_flops()
assert ratio == 2.0; print(f"backward/forward FLOPs: {ratio:.0f}")
