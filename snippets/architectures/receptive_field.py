import torch
import torch.nn as nn
def rf_formula(layers):  # (kernel, stride, dilation) per layer
    rf, jump = 1, 1  # jump: input pixels between adjacent outputs
    for k, s, d in layers:
        rf += d * (k - 1) * jump
        jump *= s
    return rf
def rf_measured(layers, n=64):  # which inputs reach the centre output
    convs = [nn.Conv2d(1, 1, k, s, dilation=d) for k, s, d in layers]
    for c in convs:
        nn.init.constant_(c.weight, 1.0)
    x = torch.ones(1, 1, n, n, requires_grad=True)
    y = nn.Sequential(*convs)(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    return int((x.grad[0, 0].abs().sum(0) > 0).sum())  # width in px
stacks = {"3 x conv3": [(3, 1, 1)] * 3,
          "conv3 s2 then 2 x conv3": [(3, 2, 1), (3, 1, 1), (3, 1, 1)],
          "dilated 1, 2, 4": [(3, 1, 1), (3, 1, 2), (3, 1, 4)]}
for name, layers in stacks.items():
    assert rf_formula(layers) == rf_measured(layers)
print("receptive fields:", [rf_formula(v) for v in stacks.values()])
