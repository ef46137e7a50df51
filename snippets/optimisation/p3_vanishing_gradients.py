import matplotlib.pyplot as plt
import torch
from torch.nn import ReLU, Sigmoid, init
x = torch.linspace(-6, 6, 1201, requires_grad=True)
torch.sigmoid(x).sum().backward()
assert abs(x.grad.max().item() - 0.25) < 1e-6  # sigmoid' <= 1/4 (z=0)
def grad_ratio(act, label, init_fn, depth=20, width=32, **init_kw):
    torch.manual_seed(0)
    lins = [torch.nn.Linear(width, width) for _ in range(depth)]
    for lin in lins: init_fn(lin.weight, **init_kw)  # in order
    net = torch.nn.Sequential(*[m for li in lins for m in (li, act())])
    net(torch.randn(32, width)).pow(2).mean().backward()
    g = [float(f"{lin.weight.grad.norm():.3g}") for lin in lins]
    plt.semilogy(range(1, depth + 1), g, "o-", ms=3, label=label)
    return g[0] / g[-1]  # |grad of layer 1| / |grad of layer 20|
sig = grad_ratio(Sigmoid, "sigmoid", init.xavier_normal_)
relu_small = grad_ratio(ReLU, "ReLU, small init", init.normal_, std=.05)
relu_he = grad_ratio(ReLU, "ReLU, He init", init.kaiming_normal_,
                     nonlinearity="relu")
assert sig < 1e-4 and relu_small < 1e-4  # both vanish
assert 0.1 < relu_he < 10                # ReLU + He init: healthy
print(f"sigmoid {sig:.1e}, ReLU small init {relu_small:.1e}, "
      f"ReLU He init {relu_he:.2f}")
plt.xlabel("layer"); plt.ylabel("weight-gradient norm")
plt.legend(); plt.savefig("gradient_norms.svg")
