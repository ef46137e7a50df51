import torch
import torch.nn.functional as F
torch.manual_seed(0)
d = 64
x0 = torch.randn(256, d)
def stream_std(n_blocks, scaled):  # pre-LN: x <- x + MLP(LN(x))
    x = x0
    for _ in range(n_blocks):
        w_in = torch.randn(d, 4 * d) * (2 / d) ** 0.5     # He, ReLU
        w_out = torch.randn(4 * d, d) * (1 / (4 * d)) ** 0.5
        if scaled:
            w_out = w_out / n_blocks ** 0.5                 # GPT-2
        x = x + F.relu(F.layer_norm(x, (d,)) @ w_in) @ w_out
    return (x.std() / x0.std()).item()
plain = [stream_std(n, False) for n in (12, 48)]
scaled = [stream_std(n, True) for n in (12, 48)]
# each block adds ~unit variance: std grows like sqrt(1 + N)
assert all(abs(s / (1 + n) ** 0.5 - 1) < 0.2
           for s, n in zip(plain, (12, 48)))
# scaled by 1/sqrt(N): total added variance ~1 at any depth
assert all(abs(s / 2 ** 0.5 - 1) < 0.2 for s in scaled)
print(f"stream std after 12 / 48 blocks: default {plain[0]:.1f} / "
      f"{plain[1]:.1f}, scaled {scaled[0]:.2f} / {scaled[1]:.2f}")
