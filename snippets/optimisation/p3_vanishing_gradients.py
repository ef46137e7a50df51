import torch
x = torch.linspace(-6, 6, 1201, requires_grad=True)
torch.sigmoid(x).sum().backward()
assert abs(x.grad.max().item() - 0.25) < 1e-6      # sigmoid'(z) <= 1/4, peak at z = 0
def grad_ratio(act, init, depth=20, width=32):     # |grad of layer 1| / |grad of layer 20|
    torch.manual_seed(0)
    lins = [torch.nn.Linear(width, width) for _ in range(depth)]
    for lin in lins:
        init(lin.weight)
    net = torch.nn.Sequential(*[m for lin in lins for m in (lin, act())])
    net(torch.randn(32, width)).pow(2).mean().backward()
    return (lins[0].weight.grad.norm() / lins[-1].weight.grad.norm()).item()
sig = grad_ratio(torch.nn.Sigmoid, torch.nn.init.xavier_normal_)
relu_bad = grad_ratio(torch.nn.ReLU, lambda w: torch.nn.init.normal_(w, std=0.05))
relu_he = grad_ratio(torch.nn.ReLU, lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"))
assert sig < 1e-4 and relu_bad < 1e-4 and 0.1 < relu_he < 10   # only ReLU + He init is healthy
print(f"sigmoid {sig:.1e}, ReLU small init {relu_bad:.1e}, ReLU He init {relu_he:.2f}")
