import torch
torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(4)
# gamma and beta are learnable parameters (running stats are buffers, not parameters)
assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
torch.nn.init.constant_(bn.weight, 2.0)          # gamma
torch.nn.init.constant_(bn.bias, 5.0)            # beta
y = bn(torch.randn(64, 4) * 3 + 7)               # train mode: batch statistics
# output = gamma * x_hat + beta: mean beta, std gamma -- not forced to 0 and 1
assert torch.allclose(y.mean(0), torch.full((4,), 5.0), atol=1e-4)
assert torch.allclose(y.std(0, unbiased=False), torch.full((4,), 2.0), atol=1e-3)
# scale invariance: multiply the previous layer's weights by 10 -> same output
W, inp = torch.randn(4, 8), torch.randn(64, 8)
assert torch.allclose(bn(inp @ W.T), bn(inp @ (10 * W).T), atol=1e-3)
