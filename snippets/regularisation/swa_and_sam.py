import torch
from torch.optim.swa_utils import AveragedModel
torch.manual_seed(0)
net = torch.nn.Linear(10, 1, bias=False)     # loss = |w|^2 / 2, min 0
swa = AveragedModel(net)
loss = lambda m: 0.5 * m.weight.pow(2).sum().item()
opt = torch.optim.SGD(net.parameters(), lr=0.5)
for step in range(150):       # noisy gradients: SGD bounces around 0
    net.weight.grad = net.weight.detach() + torch.randn(1, 10)
    opt.step()
    if step >= 50:
        swa.update_parameters(net)           # running mean of weights
assert loss(swa.module) < loss(net) / 5     # the average sits lower
# SAM's objective: the worst loss within rho of w. Two minima, both 0:
rho, sharp, flat = 0.1, 50.0, 0.5           # curvatures
worst = lambda c: 0.5 * c * rho ** 2        # max of c w^2 / 2, |w|<=rho
assert worst(sharp) == 100 * worst(flat)    # SAM prefers the flat one
print(f"loss: SWA average {loss(swa.module):.2g}, last SGD iterate "
      f"{loss(net):.2g}")
