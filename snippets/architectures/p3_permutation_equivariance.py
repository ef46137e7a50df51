import torch
torch.manual_seed(0)
attn = torch.nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(1, 6, 8)
perm = torch.tensor([3, 0, 5, 1, 4, 2])
def sa(t):                                  # self-attention
    return attn(t, t, t)[0]
y, yp = sa(x), sa(x[:, perm])
# EQUIVARIANT: permuting the inputs permutes the outputs
assert torch.allclose(yp, y[:, perm], atol=1e-6)
assert not torch.allclose(yp, y, atol=1e-3)   # so not invariant
# pooling over tokens afterwards is invariant
assert torch.allclose(yp.mean(1), y.mean(1), atol=1e-6)
pe = torch.randn(1, 6, 8)                   # any position signal
z, zp = sa(x + pe), sa(x[:, perm] + pe)
assert not torch.allclose(zp, z[:, perm], atol=1e-3)  # order counts
print("equivariant without PE; order-sensitive with PE")
