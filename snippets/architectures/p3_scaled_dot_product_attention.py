import torch
import torch.nn.functional as F
torch.manual_seed(0)
Q, K, V = torch.randn(5, 16), torch.randn(5, 16), torch.randn(5, 16)
weights = (Q @ K.T / 16**0.5).softmax(dim=-1)  # rows sum to 1
out = weights @ V              # weighted averages of the values
ref = F.scaled_dot_product_attention(Q, K, V)
assert torch.allclose(out, ref, atol=1e-5)
# why sqrt(d): a dot product of unit-variance vectors has variance d
q, k = torch.randn(4000, 256), torch.randn(4000, 256)
dots = (q * k).sum(-1)
assert abs(dots.var() / 256 - 1) < 0.1
assert abs((dots / 16).var() - 1) < 0.1
# unscaled scores push softmax to one-hot, where gradients vanish
scores = q[:500] @ k[:8].T
peak_raw = scores.softmax(-1).max(-1).values.mean()
peak_scaled = (scores / 16).softmax(-1).max(-1).values.mean()
assert peak_raw > 0.85 and peak_scaled < 0.7
print(f"top weight: raw {peak_raw:.2f}, scaled {peak_scaled:.2f}")
