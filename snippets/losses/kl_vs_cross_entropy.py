import warnings
import torch
import torch.nn.functional as F
torch.manual_seed(0)
logits = torch.randn(6, 4, requires_grad=True)
p = torch.softmax(torch.randn(6, 4), -1)   # soft targets, e.g. teacher
logq = F.log_softmax(logits, -1)
ce = F.cross_entropy(logits, p)            # soft-label cross-entropy
kl = F.kl_div(logq, p, reduction="batchmean")  # input: LOG-probs
H = -(p * p.log()).sum(-1).mean()          # entropy of the targets
assert torch.allclose(ce, H + kl)          # CE = H(p) + KL(p || q)
g = [torch.autograd.grad(f, logits, retain_graph=True)[0]
     for f in (ce, kl)]
assert torch.allclose(*g, atol=1e-7)       # H(p) has no gradient
y = torch.randint(0, 4, (6,))   # one-hot: H = 0, CE = KL = NLL
nll, onehot = F.nll_loss(logq, y), F.one_hot(y, 4).float()
kl1 = F.kl_div(logq, onehot, reduction="batchmean")
assert torch.allclose(F.cross_entropy(logits, y), nll)
assert torch.allclose(kl1, nll)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    mean_kl = F.kl_div(logq, p, reduction="mean")
assert torch.allclose(mean_kl * 4, kl) and "batchmean" in str(
    caught[0].message)     # "mean" divides by all 6*4 entries: 4x off
print(f"CE {ce:.3f} = H(p) {H:.3f} + KL {kl:.3f}; same gradients")
