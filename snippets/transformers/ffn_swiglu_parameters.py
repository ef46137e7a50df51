import math
import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
d = 96
count = lambda m: sum(p.numel() for p in m.parameters())
# classic FFN: d -> 4d -> d, applied to every token separately
ffn = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(),
                    nn.Linear(4 * d, d, bias=False))
assert count(ffn) == 8 * d * d
# SwiGLU: W2(silu(W1 x) * W3 x); three matrices, so d_ff = 8d/3
d_ff = 8 * d // 3
w1, w3 = nn.Linear(d, d_ff, bias=False), nn.Linear(d, d_ff, bias=False)
w2 = nn.Linear(d_ff, d, bias=False)
swiglu = lambda x: w2(F.silu(w1(x)) * w3(x))
assert count(w1) + count(w2) + count(w3) == count(ffn)  # same budget
x = torch.randn(5, d)                    # position-wise: row by row
assert torch.allclose(swiglu(x)[2], swiglu(x[2:3])[0], atol=1e-6)
# LLaMA-7B: d = 4096, 8d/3 rounded up to a multiple of 256
d7 = 4096
ff7 = math.ceil(8 * d7 / 3 / 256) * 256
assert ff7 == 11008
print(f"d={d7}: SwiGLU d_ff={ff7}, {3 * d7 * ff7 / 1e6:.0f}M params "
      f"vs FFN {8 * d7 * d7 / 1e6:.0f}M")
