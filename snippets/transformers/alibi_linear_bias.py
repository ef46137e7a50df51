import math
import torch

def slopes(h):        # geometric: 2^(-8/h), 2^(-16/h), ..., 2^(-8)
    return torch.tensor([2 ** (-8 * (i + 1) / h) for i in range(h)])

def alibi(h, T):      # bias[head, i, j] = -slope * (i - j), j <= i
    i = torch.arange(T)
    dist = (i[:, None] - i[None, :]).clamp(min=0).float()
    causal = torch.ones(T, T).tril().bool()
    bias = -slopes(h)[:, None, None] * dist
    return bias.masked_fill(~causal, float("-inf"))

assert torch.allclose(slopes(8), 0.5 ** torch.arange(1., 9.))
b = alibi(8, 64)
# depends on distance only: the 8-token window ending at 20 or 60
assert torch.equal(b[:, 20, 13:21], b[:, 60, 53:61])
# equal content scores: weights fall by e^-slope per token of distance
w = b[0, 63].softmax(-1)            # head 0, slope 1/2, last query
assert torch.allclose(w[62] / w[63], torch.tensor(math.exp(-0.5)))
# head 0 puts almost nothing beyond 20 tokens back
assert w[:43].sum() < 1e-4
print(f"slopes: 1/{1 / slopes(8)[0]:.0f} ... 1/{1 / slopes(8)[-1]:.0f}")
print(f"head 0 weight beyond 20 tokens: {w[:43].sum():.0e}")
