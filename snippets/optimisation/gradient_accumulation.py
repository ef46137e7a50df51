import copy
import torch
from torch import nn
torch.manual_seed(0)
X, y, mse = torch.randn(32, 10), torch.randn(32, 1), nn.MSELoss()
def grads_big_vs_accum(net, k=4):
    big, acc = copy.deepcopy(net), copy.deepcopy(net)
    mse(big(X), y).backward()                  # one batch of 32
    for xb, yb in zip(X.chunk(k), y.chunk(k)):  # 4 micro-batches of 8
        (mse(acc(xb), yb) / k).backward()      # .grad accumulates
    return [(a.grad, b.grad) for a, b in
            zip(acc.parameters(), big.parameters())]
mlp = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 1))
pairs = grads_big_vs_accum(mlp)
assert all(torch.allclose(a, b, atol=1e-6) for a, b in pairs)
# so an SGD/Adam step after accumulating is the big-batch step.
# BatchNorm breaks it: each micro-batch has its own mean and var
bn = nn.Sequential(nn.Linear(10, 16), nn.BatchNorm1d(16),
                   nn.Tanh(), nn.Linear(16, 1))
gap = max((a - b).abs().max() for a, b in grads_big_vs_accum(bn))
assert gap > 1e-3
print("MLP: accumulated grads == big-batch grads")
print(f"with BatchNorm: max gap {gap:.2g}")
