import torch

torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(2)  # eps = 1e-5, momentum = 0.1
# the second feature has a tiny spread
x = torch.randn(16, 2) * torch.tensor([1.0, 1e-3])
y = bn(x)  # training mode: batch statistics

# normalise with the biased variance
mu, var = x.mean(0), x.var(0, unbiased=False)
assert torch.allclose(y, (x - mu) / torch.sqrt(var + bn.eps), atol=1e-5)
wrong = (x - mu) / (var.sqrt() + bn.eps)  # the (sigma + eps) version
assert not torch.allclose(y[:, 1], wrong[:, 1], atol=0.1)
# eps dominates for a tiny variance
print("output SD per feature:", y.detach().std(0, unbiased=False))

# running_var is updated with the UNBIASED batch variance:
# (1 - m) * 1 + m * var_unbiased
var_unbiased = x.var(0, unbiased=True)
assert torch.allclose(bn.running_var, 0.9 + 0.1 * var_unbiased)
assert torch.allclose(bn.running_mean, 0.1 * mu)
