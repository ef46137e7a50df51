import torch

x = torch.ones(2)
y = x.to(DEVICE)
assert y.device.type == DEVICE
print(y.device.type)
