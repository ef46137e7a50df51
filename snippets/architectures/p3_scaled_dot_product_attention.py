import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
n, d = 5, 16
Q, K, V = torch.randn(n, d), torch.randn(n, d), torch.randn(n, d)
weights = (Q @ K.T / math.sqrt(d)).softmax(dim=-1)   # row i: how much token i reads each j
out = weights @ V                                    # weighted average of the values
assert torch.allclose(weights.sum(-1), torch.ones(n))
assert torch.allclose(out, F.scaled_dot_product_attention(Q[None], K[None], V[None])[0],
                      atol=1e-5)

# why divide by sqrt(d): a dot product of unit-variance vectors has variance d
q, k = torch.randn(4000, 256), torch.randn(4000, 256)
dots = (q * k).sum(-1)
assert abs(dots.var().item() / 256 - 1) < 0.1
assert abs((dots / 16).var().item() - 1) < 0.1

# unscaled scores push softmax towards one-hot, where its gradients vanish
keys = torch.randn(8, 256)
peak_raw = (q[:500] @ keys.T).softmax(-1).max(-1).values.mean()
peak_scaled = (q[:500] @ keys.T / 16).softmax(-1).max(-1).values.mean()
assert peak_raw > 0.85 and peak_scaled < 0.7
print(f"mean top weight: unscaled {peak_raw:.2f}, scaled {peak_scaled:.2f}")
