import torch
from torch import nn
torch.manual_seed(0)
d_in, d_out, r, alpha = 64, 48, 4, 8
base = nn.Linear(d_in, d_out, bias=False).requires_grad_(False)
A = nn.Parameter(torch.randn(r, d_in) / d_in**0.5)  # random init
B = nn.Parameter(torch.zeros(d_out, r))             # zero init
s = alpha / r
lora = lambda x: base(x) + s * (x @ A.T) @ B.T      # W x + s B A x
x = torch.randn(10, d_in)
assert torch.equal(lora(x), base(x))     # B = 0: starts as the base
(lora(x) - torch.randn(10, d_out)).square().mean().backward()
assert base.weight.grad is None and B.grad.abs().sum() > 0
with torch.no_grad():
    B -= 0.5 * B.grad                    # one step: adapter only
    merged = base.weight + s * B @ A     # fold into one matrix
    assert torch.allclose(x @ merged.T, lora(x), atol=1e-6)
    assert not torch.allclose(lora(x), base(x))
# trainable parameters for one 4096 x 4096 matrix at rank 8
full, low = 4096 * 4096, 8 * (4096 + 4096)
assert low == 65_536 and low / full < 0.004
print(f"merged == base + adapter; rank 8 trains {low:,} "
      f"of {full:,} ({low / full:.2%})")
