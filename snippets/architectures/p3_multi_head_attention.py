import torch
torch.manual_seed(0)
d, h, T = 64, 8, 10
mha = torch.nn.MultiheadAttention(d, num_heads=h, batch_first=True)
x = torch.randn(1, T, d)
ref, w = mha(x, x, x, average_attn_weights=False)
qkv = x @ mha.in_proj_weight.T + mha.in_proj_bias
q, k, v = qkv.chunk(3, dim=-1)
def split(t):                       # (1, T, d) -> (1, h, T, d/h)
    return t.view(1, T, h, d // h).transpose(1, 2)
scores = split(q) @ split(k).transpose(-1, -2) / (d // h) ** 0.5
att = scores.softmax(-1)            # one T x T map per head
heads = (att @ split(v)).transpose(1, 2).reshape(1, T, d)  # concat
assert torch.allclose(mha.out_proj(heads), ref, atol=1e-5)  # W_O
assert att.shape == w.shape == (1, h, T, T)
assert torch.allclose(att, w, atol=1e-6)
def n(m):
    return sum(p.numel() for p in m.parameters())
one_head = torch.nn.MultiheadAttention(d, num_heads=1)
# W_Q, W_K, W_V, W_O plus biases, whatever the number of heads
assert n(mha) == n(one_head) == 4 * d * d + 4 * d
