import torch
from torch import nn
torch.manual_seed(0)
d = 64
layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=4 * d)
n = sum(p.numel() for p in layer.parameters())
attn = 4 * d * d + 4 * d       # W_Q, W_K, W_V, W_O and their biases
ffn = 8 * d * d + 5 * d        # d -> 4d -> d with biases
norms = 2 * 2 * d              # two LayerNorms, gain and bias each
assert n == attn + ffn + norms == 12 * d * d + 13 * d
# GPT-2 small: 12 layers, d = 768, 50,257 tokens, 1,024 positions,
# output layer tied to the token embedding, plus a final LayerNorm
L, d, V, ctx = 12, 768, 50257, 1024
gpt2 = L * (12 * d * d + 13 * d) + V * d + ctx * d + 2 * d
assert gpt2 == 124_439_808     # the published count
share = L * 12 * d * d / gpt2  # the 12 L d^2 rule
assert 0.67 < share < 0.69
print(f"GPT-2 small: {gpt2:,} params; 12*L*d^2 is {share:.0%}")
print(f"token embedding: {V * d / gpt2:.0%}")
