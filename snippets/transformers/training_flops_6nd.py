import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(64, 256, bias=False), nn.ReLU(),
                    nn.Linear(256, 64, bias=False))
N = sum(p.numel() for p in net.parameters())    # parameters
D = 32                                          # tokens in the batch
x = torch.randn(D, 64, requires_grad=True)
with FlopCounterMode(display=False) as fwd:
    y = net(x)
with FlopCounterMode(display=False) as bwd:
    y.square().sum().backward()
# forward: a multiply and an add per weight per token
assert fwd.get_total_flops() == 2 * N * D
# backward: gradient for the inputs AND for the weights, 2ND each
assert bwd.get_total_flops() == 4 * N * D
total = fwd.get_total_flops() + bwd.get_total_flops()
assert total == 6 * N * D
# GPT-3: 175B parameters, 300B tokens
gpt3 = 6 * 175e9 * 300e9
assert abs(gpt3 / 3.14e23 - 1) < 0.01
print(f"training step = {total // (2 * N * D)} x forward; "
      f"GPT-3 ~ {gpt3:.2e} FLOPs")
