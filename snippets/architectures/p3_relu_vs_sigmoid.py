import matplotlib.pyplot as plt
import torch
torch.manual_seed(0)
z = torch.tensor([-10.0, 0.0, 10.0], requires_grad=True)
torch.sigmoid(z).sum().backward()  # slope 1/4 at 0, ~0 in both tails
assert z.grad[1] == 0.25 and (z.grad[[0, 2]] < 5e-5).all()
z.grad = None; torch.relu(z).sum().backward()
assert z.grad.tolist() == [0.0, 0.0, 1.0]  # slope 1 for z > 0
a, w = torch.sigmoid(torch.randn(10)), torch.randn(10).requires_grad_()
((w @ a - 3.0) ** 2).backward()   # sigmoid outputs a are all > 0:
assert (w.grad > 0).all() or (w.grad < 0).all()  # one sign: zig-zag
lin, x = torch.nn.Linear(4, 1), torch.randn(256, 4)
torch.nn.init.constant_(lin.bias, -10.0)   # a "dead" ReLU unit
out = torch.relu(lin(x)); out.sum().backward()
assert (out == 0).all() and (lin.weight.grad == 0).all()  # stuck
torch.nn.functional.leaky_relu(lin(x), 0.01).sum().backward()  # +0
assert (lin.weight.grad != 0).all()        # leaky ReLU still learns
r = lambda v: v.detach().round(decimals=3)  # CPU-independent points
s = torch.linspace(-4, 4, 161, requires_grad=True)
fig, (top, bottom) = plt.subplots(2, 1, sharex=True)
for f in (torch.sigmoid, torch.tanh, torch.relu):
    top.plot(r(s), r(f(s)), label=f.__name__)
    bottom.plot(r(s), r(torch.autograd.grad(f(s).sum(), s)[0]))
top.set_title("activation"); bottom.set_title("its derivative")
top.legend(); fig.savefig("activations.svg")
