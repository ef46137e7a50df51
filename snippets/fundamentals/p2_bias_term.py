import torch
from torch import nn
torch.manual_seed(0)
x = torch.linspace(-1, 1, 50)[:, None]
y = 2 * x + 3                   # a line that misses the origin
no_bias = torch.linalg.lstsq(x, y).solution    # y = w x
x1 = torch.cat([x, torch.ones_like(x)], 1)      # y = w x + b
with_bias = torch.linalg.lstsq(x1, y).solution.squeeze()
mse = ((x @ no_bias - y) ** 2).mean()
assert torch.isclose(mse, torch.tensor(9.0))  # the missing 3, ^2
assert torch.allclose(with_bias, torch.tensor([2., 3.]), atol=1e-5)
# a bias-free ReLU net: f(0) = 0 and f(a v) = a f(v) for a > 0
net = nn.Sequential(nn.Linear(4, 16, bias=False), nn.ReLU(),
                    nn.Linear(16, 1, bias=False))
v = torch.randn(4)
assert net(torch.zeros(4)).item() == 0.0
assert torch.allclose(net(3 * v), 3 * net(v))
# a bias right before BatchNorm is cancelled by the mean subtraction
lin, lin_nb = nn.Linear(4, 8), nn.Linear(4, 8, bias=False)
lin_nb.weight.data.copy_(lin.weight.data)
bn, xb = nn.BatchNorm1d(8), torch.randn(32, 4)
assert torch.allclose(bn(lin(xb)), bn(lin_nb(xb)), atol=1e-5)
print(f"no-bias slope {no_bias.item():.3f}, MSE {mse.item():.3f}")
