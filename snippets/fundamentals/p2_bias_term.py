import torch

torch.manual_seed(0)
x = torch.linspace(-1, 1, 50)[:, None]
y = 2 * x + 3                                            # a line that misses the origin

no_bias = torch.linalg.lstsq(x, y).solution              # best fit of y = w x
with_bias = torch.linalg.lstsq(torch.cat([x, torch.ones_like(x)], 1), y).solution
mse = ((x @ no_bias - y) ** 2).mean()
assert torch.isclose(mse, torch.tensor(9.0))             # residual is the missing 3, squared
assert torch.allclose(with_bias.squeeze(), torch.tensor([2.0, 3.0]), atol=1e-5)

# A bias-free ReLU net maps 0 to 0 and f(a x) = a f(x) for a > 0, at any depth
net = torch.nn.Sequential(torch.nn.Linear(4, 16, bias=False), torch.nn.ReLU(),
                          torch.nn.Linear(16, 1, bias=False))
v = torch.randn(4)
assert net(torch.zeros(4)).item() == 0.0 and torch.allclose(net(3 * v), 3 * net(v))

# Bias right before BatchNorm is wasted: BN subtracts the batch mean anyway
lin = torch.nn.Linear(4, 8)
lin_nb = torch.nn.Linear(4, 8, bias=False)
lin_nb.weight.data.copy_(lin.weight.data)
bn = torch.nn.BatchNorm1d(8)
xb = torch.randn(32, 4)
assert torch.allclose(bn(lin(xb)), bn(lin_nb(xb)), atol=1e-5)
print(f"best no-bias slope {no_bias.item():.3f}, MSE {mse.item():.3f}")
