import torch

torch.manual_seed(0)
z = torch.tensor([-10.0, 0.0, 10.0], requires_grad=True)
torch.sigmoid(z).sum().backward()
assert z.grad[1] == 0.25 and (z.grad[[0, 2]] < 5e-5).all()   # saturates at both tails
z.grad = None
torch.relu(z).sum().backward()
assert z.grad.tolist() == [0.0, 0.0, 1.0]                     # slope 1 for z > 0

# sigmoid outputs are all positive, so for one example every weight into the
# next unit gets a gradient of the SAME sign: updates can only zig-zag
a = torch.sigmoid(torch.randn(10))
w = torch.randn(10, requires_grad=True)
((w @ a - 3.0) ** 2).backward()
assert (w.grad > 0).all() or (w.grad < 0).all()

# a "dead" ReLU: bias pushed far negative -> zero output AND zero gradient for every input
lin = torch.nn.Linear(4, 1)
torch.nn.init.constant_(lin.bias, -10.0)
x = torch.randn(256, 4)
out = torch.relu(lin(x))
out.sum().backward()
assert (out == 0).all() and (lin.weight.grad == 0).all()      # it can never recover
lin.weight.grad = None
torch.nn.functional.leaky_relu(lin(x), 0.01).sum().backward()
assert (lin.weight.grad != 0).all()                           # leaky ReLU keeps a gradient
