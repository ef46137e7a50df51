import numpy as np
import torch

a = np.array([1.0, 2.0, 3.0, 4.0])
shared = torch.from_numpy(a)          # zero-copy view of a's memory
copied = torch.tensor(a)              # an independent copy
a[0] = 100.0
assert shared[0] == 100.0 and copied[0] == 1.0
assert shared.dtype == torch.float64  # NumPy's float64 is kept...
assert torch.tensor([1.0]).dtype == torch.float32  # torch: float32

w = torch.ones(3, requires_grad=True)
try:
    w.numpy()                         # NumPy would bypass autograd
    raise AssertionError("expected RuntimeError")
except RuntimeError:
    pass
view = w.detach().numpy()     # allowed, and shares memory too
view[0] = 7.0
assert w[0].item() == 7.0

x = torch.tensor([1.0, 2.0, 3.0, 4.0])
assert np.isclose(np.var(x.numpy()), 1.25)          # NumPy: / n
assert torch.isclose(x.var(), torch.tensor(5 / 3))  # torch: / (n-1)
print("var: torch", x.var().item(), "vs NumPy", np.var(x.numpy()))
