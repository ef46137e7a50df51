import math
import torch
import torch.nn.functional as F

z = torch.tensor([2.0, 1.0, 0.1])
p = torch.softmax(z, dim=0)
e = [math.exp(v) for v in z.tolist()]
assert torch.allclose(p, torch.tensor([v / sum(e) for v in e]))
assert torch.isclose(p.sum(), torch.tensor(1.0))
assert torch.allclose(torch.softmax(z + 100, 0), p)  # shift-invariant

big = torch.tensor([1000.0, 999.0])
naive = big.exp() / big.exp().sum()      # exp(1000) overflows to inf
assert torch.isnan(naive).all()
stable = torch.softmax(big, 0)           # subtracts the max first
assert torch.allclose(stable, torch.softmax(torch.tensor([1., 0.]), 0))

# cross_entropy expects raw logits: it applies log-softmax itself
c = torch.tensor(0)
assert torch.isclose(F.cross_entropy(z, c), -torch.log(p[0]))
double = F.cross_entropy(p, c)           # softmax twice: wrong loss
assert not torch.isclose(double, F.cross_entropy(z, c))
print(f"CE on logits {F.cross_entropy(z, c):.3f}, "
      f"on softmax outputs {double:.3f}")
