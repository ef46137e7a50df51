import torch

torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(4)
# gamma and beta are learnable parameters (running stats are buffers, not parameters)
assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
with torch.no_grad():
    bn.weight.fill_(2.0)                         # gamma
    bn.bias.fill_(5.0)                           # beta
y = bn(torch.randn(64, 4) * 3 + 7)               # train mode: batch statistics
# output = gamma * x_hat + beta: mean beta, std gamma -- not forced to 0 and 1
assert torch.allclose(y.mean(0), torch.full((4,), 5.0), atol=1e-4)
assert torch.allclose(y.std(0, unbiased=False), torch.full((4,), 2.0), atol=1e-3)

# scale invariance: multiply the previous layer's weights by 10 -> same output
lin = torch.nn.Linear(8, 4, bias=False)
inp = torch.randn(64, 8)
out1 = bn(lin(inp))
with torch.no_grad():
    lin.weight.mul_(10)
out2 = bn(lin(inp))
assert torch.allclose(out1, out2, atol=1e-3)
print("max |out1 - out2|:", (out1 - out2).abs().max().item())
