import math
import torch
def sinusoidal(n, d):
    pos = torch.arange(n, dtype=torch.float64)[:, None]
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2, dtype=torch.float64) / d)
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
    return pe, freq
pe, freq = sinusoidal(200, 16)
assert len(torch.unique(pe.round(decimals=6), dim=0)) == 200   # every position distinct
k = 7   # PE(p + k) = M_k PE(p): one fixed rotation per frequency, the same for every p
M = torch.block_diag(*[torch.tensor([[math.cos(k * w), math.sin(k * w)],
                                     [-math.sin(k * w), math.cos(k * w)]],
                                    dtype=torch.float64) for w in freq.tolist()])
assert torch.allclose(pe[k:], pe[:-k] @ M.T, atol=1e-9)
dots = (pe[:-k] * pe[k:]).sum(-1)        # similarity depends only on the offset k
assert torch.allclose(dots, dots[0].expand_as(dots), atol=1e-9)
print(f"PE(p).PE(p+{k}) for every p: {dots[0]:.4f}")
