import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(2, 6, 4, 4) * 2 + 1       # (N, C, H, W)
gn = nn.GroupNorm(3, 6, affine=False)     # 3 groups of 2 channels
g = x.view(2, 3, -1)                      # stats per sample & group
mu, var = g.mean(-1, keepdim=True), g.var(-1, False, keepdim=True)
hand = ((g - mu) / (var + gn.eps).sqrt()).view_as(x)
assert torch.allclose(gn(x), hand, atol=1e-5)
# 1 group = LayerNorm over (C, H, W); C groups = InstanceNorm
ln = nn.LayerNorm([6, 4, 4], elementwise_affine=False)
assert torch.allclose(nn.GroupNorm(1, 6, affine=False)(x), ln(x),
                      atol=1e-5)
inorm = nn.InstanceNorm2d(6)
assert torch.allclose(nn.GroupNorm(6, 6, affine=False)(x), inorm(x),
                      atol=1e-5)
# batch-independent: a batch of one gives the same output
assert torch.allclose(gn(x[:1]), gn(x)[:1], atol=1e-6)
bn = nn.BatchNorm2d(6)                    # BN: depends on batch-mates
assert not torch.allclose(bn(x[:1]), bn(x)[:1], atol=1e-2)
print("GroupNorm: G=1 is LayerNorm, G=C is InstanceNorm")
