import torch
torch.manual_seed(0)
d, T = 16, 7
Wq, Wk, Wv = (torch.randn(d, d, dtype=torch.float64) / d**0.5
              for _ in range(3))
x = torch.randn(T, d, dtype=torch.float64)   # token states, one layer
# full recompute: causal attention over the whole sequence at once
s = (x @ Wq) @ (x @ Wk).T / d**0.5
causal = torch.ones(T, T).tril().bool()
full = s.masked_fill(~causal, float("-inf")).softmax(-1) @ (x @ Wv)
# decoding: each step projects ONE new token and appends its K, V
K = V = torch.empty(0, d, dtype=torch.float64)
outs = []
for t in range(T):
    new = x[t:t + 1]
    K, V = torch.cat([K, new @ Wk]), torch.cat([V, new @ Wv])
    q = new @ Wq
    outs.append((q @ K.T / d**0.5).softmax(-1) @ V)
assert torch.allclose(torch.cat(outs), full, atol=1e-12)
# valid because a past token's K, V never depend on later tokens
assert torch.allclose(K, x @ Wk) and torch.allclose(V, x @ Wv)
print(f"cached steps == full causal pass for all {T} positions")
print(f"K/V projections: {T} cached vs {T * (T + 1) // 2} recomputed")
