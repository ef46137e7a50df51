import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(4, 8)
A, B = torch.randn(8, 32), torch.randn(32, 8)  # MLP: gelu(x A) B
full = F.gelu(x @ A) @ B
# Megatron-style: A split by columns, B by rows, over 2 "GPUs"
A1, A2 = A.chunk(2, dim=1)
B1, B2 = B.chunk(2, dim=0)
y1 = F.gelu(x @ A1) @ B1   # GPU 1: no communication until here
y2 = F.gelu(x @ A2) @ B2   # GPU 2
assert torch.allclose(y1 + y2, full, atol=1e-4)  # one all-reduce
# column split: each GPU owns whole hidden units, so GELU is local
h = torch.cat([F.gelu(x @ A1), F.gelu(x @ A2)], dim=1)
assert torch.allclose(h, F.gelu(x @ A), atol=1e-5)
# splitting A by rows gives partial sums, which GELU cannot take apart
Ar1, Ar2 = A.chunk(2, dim=0)
wrong = F.gelu(x[:, :4] @ Ar1) + F.gelu(x[:, 4:] @ Ar2)
assert not torch.allclose(wrong, F.gelu(x @ A), atol=1e-2)
print("column- then row-parallel MLP == full MLP (one all-reduce)")
