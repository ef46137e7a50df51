import torch
torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(2)        # eps = 1e-5, momentum = 0.1
x = torch.randn(16, 2) * torch.tensor([1.0, 1e-3])  # tiny 2nd SD
y = bn(x)                           # train mode: batch statistics
mu, var = x.mean(0), x.var(0, unbiased=False)  # biased variance
assert torch.allclose(y, (x - mu) / torch.sqrt(var + bn.eps),
                      atol=1e-5)
wrong = (x - mu) / (var.sqrt() + bn.eps)  # the (sigma + eps) version
assert not torch.allclose(y[:, 1], wrong[:, 1], atol=0.1)
# running_var takes the UNBIASED variance: (1 - m) * 1 + m * var
assert torch.allclose(bn.running_var, 0.9 + 0.1 * x.var(0))
assert torch.allclose(bn.running_mean, 0.1 * mu)
# gamma, beta are learned: the output has mean beta and SD gamma
assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
with torch.no_grad():
    bn.weight.fill_(2.0), bn.bias.fill_(5.0)
z = bn(torch.randn(64, 2) * 3 + 7)
assert torch.allclose(z.mean(0), torch.full((2,), 5.0), atol=1e-4)
assert torch.allclose(z.std(0, unbiased=False), torch.full((2,), 2.0),
                      atol=1e-3)
W, inp = torch.randn(2, 8), torch.randn(64, 8)  # previous layer x10:
assert torch.allclose(bn(inp @ W.T), bn(inp @ (10 * W).T), atol=1e-3)
sd = y[:, 1].std(unbiased=False).item()  # eps shrinks a tiny feature
print(f"output SD of the feature with SD 1e-3: {sd:.2f}, not 1")
