import torch
import torch.nn.functional as F

z = torch.tensor([2.0, 1.0, 0.1])
p = torch.softmax(z, dim=0)
e = torch.tensor([2.0, 1.0, 0.1]).exp()    # by hand: e^z / sum(e^z)
assert torch.allclose(p, e / e.sum())
assert torch.isclose(p.sum(), torch.tensor(1.0))
assert torch.allclose(torch.softmax(z + 100, 0), p)  # shift: no-op

big = torch.tensor([1000.0, 999.0])
naive = big.exp() / big.exp().sum()  # exp(1000) overflows to inf
assert torch.isnan(naive).all()
stable = torch.softmax(big, 0)       # subtracts the max first
assert torch.allclose(stable, torch.softmax(big - 999, 0))

c = torch.tensor(0)
ce = F.cross_entropy(z, c)    # takes raw logits: does log-softmax
assert torch.isclose(ce, -torch.log(p[0]))
print(f"cross-entropy {ce:.3f} = -log softmax(z)[0] = "
      f"{-torch.log(p[0]):.3f}")
