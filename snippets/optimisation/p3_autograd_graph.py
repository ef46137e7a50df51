import math
import torch
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = w * x**2 + torch.sin(x)  # graph recorded as the ops run
y.backward()                 # chain rule from y back to leaves
# by hand: dy/dx = 2wx + cos(x), dy/dw = x^2
assert math.isclose(x.grad.item(), 2 * 3 * 2 + math.cos(2),
                    rel_tol=1e-6)
assert w.grad.item() == 4.0
print("y.grad_fn:", type(y.grad_fn).__name__)
(w * x).backward()           # a second backward ADDS to .grad
assert w.grad.item() == 4.0 + 2.0  # so call zero_grad() yourself
h = w * x                    # intermediate (non-leaf) tensor
assert not h.is_leaf and h.grad_fn is not None
h.retain_grad()              # without this, h.grad stays None
(h**2).backward()
assert h.grad.item() == 2 * h.item()
with torch.no_grad():        # no graph is built in here
    assert not (w * x).requires_grad
