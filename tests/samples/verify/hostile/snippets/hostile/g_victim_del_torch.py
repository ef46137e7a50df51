import torch
print(int(torch.tensor([1, 2, 3]).sum()))
