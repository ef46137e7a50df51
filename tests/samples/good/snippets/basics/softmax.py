import torch

z = torch.tensor([1.0, 2.0, 3.0])
p = torch.softmax(z, dim=-1)
assert torch.isclose(p.sum(), torch.tensor(1.0))
print(p)
