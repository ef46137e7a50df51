import torch
from torch import nn
torch.manual_seed(0)
n, depth = 256, 20
x0 = torch.randn(200, n)
def mean_square_after(std):   # 20 Linear+ReLU layers, no biases
    x = x0
    for _ in range(depth):
        x = torch.relu(x @ (torch.randn(n, n) * std))
    return x.pow(2).mean().item()
he = mean_square_after((2 / n) ** 0.5)          # Var(w) = 2 / fan_in
xavier = mean_square_after((2 / (n + n)) ** 0.5)  # 2/(fan_in+fan_out)
torch_default = mean_square_after((1 / (3 * n)) ** 0.5)
assert 0.3 < he < 3                 # kept: ReLU halves, 2/n doubles
assert xavier < 1e-5                # halves each layer: 2^-20
assert torch_default < 1e-12        # x 1/6 per layer
# nn.Linear's default init really has Var(w) = 1/(3 fan_in)
w = nn.Linear(n, n).weight
assert abs(w.var().item() * 3 * n - 1) < 0.05
w = nn.init.kaiming_normal_(torch.empty(n, n), nonlinearity="relu")
assert abs(w.std().item() / (2 / n) ** 0.5 - 1) < 0.02
print(f"E[x^2] after {depth} ReLU layers: He {he:.2f}, "
      f"Xavier {xavier:.0e}, nn.Linear default {torch_default:.0e}")
