import math
import torch
import torch.nn.functional as F

z = torch.tensor([2.0, 1.0, 0.1])
p = torch.softmax(z, dim=0)
by_hand = [math.exp(v) / sum(math.exp(u) for u in z.tolist()) for v in z.tolist()]
assert torch.allclose(p, torch.tensor(by_hand)) and torch.isclose(p.sum(), torch.tensor(1.0))
assert torch.allclose(torch.softmax(z + 100, 0), p)      # adding a constant changes nothing

big = torch.tensor([1000.0, 999.0])
naive = big.exp() / big.exp().sum()                      # exp(1000) overflows to inf
assert torch.isnan(naive).all()
assert torch.allclose(torch.softmax(big, 0), torch.softmax(torch.tensor([1.0, 0.0]), 0))

# cross_entropy expects raw logits: it applies log-softmax itself
target = torch.tensor(0)
assert torch.isclose(F.cross_entropy(z, target), -torch.log(p[0]))
double = F.cross_entropy(p, target)                      # softmax applied twice: wrong
assert not torch.isclose(double, F.cross_entropy(z, target))
print(f"CE on logits {F.cross_entropy(z, target):.3f}, on softmaxed probs {double:.3f}")
