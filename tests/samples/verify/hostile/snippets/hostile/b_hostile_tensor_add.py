import torch
torch.Tensor.__add__ = lambda a, b: torch.zeros(1)
print('patched')
