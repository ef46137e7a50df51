import torch
from torch import nn
torch.manual_seed(0)
X = torch.randn(128, 2)
y = (X[:, :1] * X[:, 1:]).sign()    # XOR-like: needs several units
def train(init):
    net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    init(net)
    opt = torch.optim.SGD(net.parameters(), lr=0.2)
    for _ in range(150):
        opt.zero_grad()
        (loss := (net(X) - y).pow(2).mean()).backward(); opt.step()
    return net[0].weight.detach(), loss.item()
def constant(net):                  # every weight and bias 0.3
    for p in net.parameters():
        nn.init.constant_(p, 0.3)
def zero_last(net):                 # random first layer, zero output
    nn.init.zeros_(net[2].weight); nn.init.zeros_(net[2].bias)
W_c, loss_c = train(constant)
W_z, loss_z = train(zero_last)
assert torch.allclose(W_c, W_c[:1].expand(16, 2))  # 16 clones of 1
assert torch.unique(W_z[:, 0]).numel() == 16       # all different
assert loss_z < 0.5 * loss_c
print(f"loss: constant init {loss_c:.2f} (16 identical units), "
      f"zero last layer {loss_z:.2f}")
