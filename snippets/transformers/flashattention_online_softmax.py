import torch
torch.manual_seed(0)
N, d, Bk = 64, 16, 16                    # sequence, head dim, tile
q, k, v = (torch.randn(N, d, dtype=torch.float64) for _ in range(3))
q = q * 20                               # large logits on purpose
naive = (q @ k.T / d**0.5).softmax(-1) @ v   # builds the N x N matrix
# tiled: visit K, V in blocks; keep a running max m, sum l, output o
m = torch.full((N, 1), float("-inf"), dtype=torch.float64)
l, o = torch.zeros(N, 1, dtype=torch.float64), torch.zeros_like(q)
biggest = 0
for j in range(0, N, Bk):
    s = q @ k[j:j + Bk].T / d**0.5       # one N x Bk tile of scores
    m_new = torch.maximum(m, s.max(-1, keepdim=True).values)
    fix = torch.exp(m - m_new)           # rescale what came before
    p = torch.exp(s - m_new)
    l = l * fix + p.sum(-1, keepdim=True)
    o = o * fix + p @ v[j:j + Bk]
    m, biggest = m_new, max(biggest, s.numel())
assert torch.isfinite(o).all()           # no exp overflow
assert torch.allclose(o / l, naive, rtol=0, atol=1e-12)  # exact
assert biggest == N * Bk < N * N         # never holds all N x N
print(f"tiled == naive (float64); largest score block {N}x{Bk}, "
      f"not {N}x{N}")
