import matplotlib.pyplot as plt
import torch
torch.manual_seed(0)
bn = torch.nn.BatchNorm1d(4)
# gamma, beta are learnable parameters (running stats are buffers)
assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
torch.nn.init.constant_(bn.weight, 2.0)  # gamma
torch.nn.init.constant_(bn.bias, 5.0)    # beta
y = bn(torch.randn(64, 4) * 3 + 7)       # train mode: batch stats
# output = gamma * x_hat + beta: mean beta and std gamma, not 0, 1
assert torch.allclose(y.mean(0), torch.full((4,), 5.0), atol=1e-4)
std = y.std(0, unbiased=False)
assert torch.allclose(std, torch.full((4,), 2.0), atol=1e-3)
# scale invariance: previous layer's weights x10 -> same output
W, inp = torch.randn(4, 8), torch.randn(64, 8)
assert torch.allclose(bn(inp @ W.T), bn(inp @ (10 * W).T),
                      atol=1e-3)
x = torch.randn(256, 4) * 3 + 7
train_out = bn(x).detach()               # this batch's mean and var
bn.eval(); eval_out = bn(x).detach()     # running averages (3 steps)
assert not torch.allclose(train_out, eval_out, atol=0.5)
plt.hist([train_out[:, 0].round(decimals=2),
          eval_out[:, 0].round(decimals=2)], bins=30,
         label=["train(): batch stats", "eval(): running stats"])
plt.xlabel("BatchNorm output, one feature"); plt.legend()
plt.savefig("batchnorm_train_eval.svg")
