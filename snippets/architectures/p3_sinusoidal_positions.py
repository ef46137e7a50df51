import math
import torch
def sinusoidal(n, d):
    pos = torch.arange(n, dtype=torch.float64)[:, None]
    i2 = torch.arange(0, d, 2, dtype=torch.float64)
    freq = torch.exp(-math.log(10000.0) * i2 / d)
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe, freq.tolist()
pe, freq = sinusoidal(200, 16)
# every position gets a distinct code
assert len(torch.unique(pe.round(decimals=6), dim=0)) == 200
k = 7   # PE(p + k) = M_k PE(p): one rotation per frequency, any p
def rot(a):
    c, s = math.cos(a), math.sin(a)
    return torch.tensor([[c, s], [-s, c]], dtype=torch.float64)
M = torch.block_diag(*[rot(k * w) for w in freq])
assert torch.allclose(pe[k:], pe[:-k] @ M.T, atol=1e-9)
dots = (pe[:-k] * pe[k:]).sum(-1)   # depends only on the offset k
assert torch.allclose(dots, dots[0].expand_as(dots), atol=1e-9)
print(f"PE(p).PE(p+{k}) for every p: {dots[0]:.4f}")
