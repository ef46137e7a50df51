import torch
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = w * x**2 + torch.sin(x)          # the graph is recorded as the ops run
y.backward()                         # chain rule, from y back to the leaves
# hand derivatives: dy/dx = 2wx + cos(x), dy/dw = x^2
assert torch.isclose(x.grad, 2 * 3.0 * 2.0 + torch.cos(torch.tensor(2.0)))
assert w.grad.item() == 4.0
print("y.grad_fn:", type(y.grad_fn).__name__)
(w * x).backward()                   # a second backward ADDS to .grad
assert w.grad.item() == 4.0 + 2.0    # dy/dw + d(wx)/dw: zero_grad() is your job
h = w * x                            # an intermediate (non-leaf) tensor
assert not h.is_leaf and h.grad_fn is not None
h.retain_grad()                      # without this, h.grad stays None
(h**2).backward()
assert h.grad.item() == 2 * h.item()
with torch.no_grad():                # no graph is built here
    assert not (w * x).requires_grad
