import matplotlib.pyplot as plt
import torch
from torch.nn import init
x = torch.linspace(-6, 6, 1201, requires_grad=True)
torch.sigmoid(x).sum().backward()
# sigmoid'(z) <= 1/4, with the peak at z = 0
assert abs(x.grad.max().item() - 0.25) < 1e-6
def grad_ratio(act, init_fn, label, depth=20, width=32):
    """|grad of layer 1| / |grad of layer 20|; plots every layer's"""
    torch.manual_seed(0)
    lins = [torch.nn.Linear(width, width) for _ in range(depth)]
    for lin in lins:
        init_fn(lin.weight)
    net = torch.nn.Sequential(
        *[m for lin in lins for m in (lin, act())])
    net(torch.randn(32, width)).pow(2).mean().backward()
    g = [float(f"{lin.weight.grad.norm():.3g}") for lin in lins]
    plt.semilogy(range(1, depth + 1), g, "o-", ms=3, label=label)
    return g[0] / g[-1]
sig = grad_ratio(torch.nn.Sigmoid, init.xavier_normal_, "sigmoid")
relu_small = grad_ratio(torch.nn.ReLU, lambda w: init.normal_(
    w, std=0.05), "ReLU, small init")
relu_he = grad_ratio(torch.nn.ReLU, lambda w: init.kaiming_normal_(
    w, nonlinearity="relu"), "ReLU, He init")
assert sig < 1e-4 and relu_small < 1e-4  # both vanish
assert 0.1 < relu_he < 10                # ReLU + He init: healthy
print(f"sigmoid {sig:.1e}, ReLU small init {relu_small:.1e}, "
      f"ReLU He init {relu_he:.2f}")
plt.xlabel("layer"); plt.ylabel("weight-gradient norm")
plt.legend(); plt.savefig("gradient_norms.svg")
