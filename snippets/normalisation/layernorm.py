import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(8, 5, 16) * 3 + 2   # (batch, tokens, features)
ln = nn.LayerNorm(16)               # normalised_shape = last dim
mu = x.mean(-1, keepdim=True)       # one mean per token...
var = x.var(-1, unbiased=False, keepdim=True)   # ...and one variance
assert torch.allclose(ln(x), (x - mu) / (var + ln.eps).sqrt(),
                      atol=1e-5)
# no batch statistics: a sample alone gets the same output
assert torch.allclose(ln(x[:1]), ln(x)[:1], atol=1e-6)
assert list(ln.buffers()) == []     # no running stats: eval == train
assert torch.equal(ln.eval()(x), ln.train()(x))
# BatchNorm, by contrast, changes sample 0 when its batch-mates change
bn, a = nn.BatchNorm1d(16), x[:, 0]
b = torch.cat([a[:1], 5 * a[1:]])
assert not torch.allclose(bn(a)[0], bn(b)[0], atol=1e-2)
# learnable per-feature gain and shift, 2 x 16 parameters
assert [p.shape for p in ln.parameters()] == [(16,), (16,)]
print("LayerNorm: same output alone or in a batch, in train or eval")
