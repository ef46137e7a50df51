import torch

bn = torch.nn.BatchNorm1d(3)
x = torch.randn(8, 3)
y = bn(x)  # train mode: batch statistics
mu, var = x.mean(0), x.var(0, unbiased=False)
assert torch.allclose(y, (x - mu) / torch.sqrt(var + bn.eps), atol=1e-6)
half = x[::2]  # every other row: {"step": 2}
assert half.shape == (4, 3)
print("running_mean:", bn.running_mean)
