import torch
import torch.nn.functional as F
torch.manual_seed(0)
z, y = torch.randn(4, 5), (torch.rand(4, 5) < 0.4).float()
p = z.sigmoid()                  # one independent yes/no per label
hand = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
assert torch.allclose(F.binary_cross_entropy_with_logits(z, y), hand)
w = torch.tensor([1., 1., 4., 1., 9.])   # per-label pos_weight
hand_w = -(w * y * p.log() + (1 - y) * (1 - p).log()).mean()
assert torch.allclose(F.binary_cross_entropy_with_logits(
    z, y, pos_weight=w), hand_w)
# one image showing labels 0 AND 1, with confident logits for both
logit = torch.tensor([[8., 8., -8.]])
target = torch.tensor([[1., 1., 0.]])
sig, soft = logit.sigmoid()[0], logit.softmax(-1)[0]
assert (sig[:2] > 0.99).all()            # sigmoid: yes to both
assert torch.allclose(soft[:2], torch.tensor(0.5), atol=1e-6)
# softmax shares one unit of mass: no logits put two labels above 0.5
rand = torch.randn(10000, 3).softmax(-1)
assert ((rand > 0.5).sum(-1) <= 1).all()
bce = F.binary_cross_entropy_with_logits(logit, target).item()
print(f"sigmoid probs {sig[0]:.3f}, {sig[1]:.3f} (BCE {bce:.4f}); "
      f"softmax {soft[0]:.2f}, {soft[1]:.2f}")
