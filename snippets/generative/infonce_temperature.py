import math
import torch
import torch.nn.functional as F
torch.manual_seed(0)
N = 8  # a batch of 8 positive pairs (two views of each item)
u = F.normalize(torch.randn(N, 16), dim=1)
v = F.normalize(u + 0.3 * torch.randn(N, 16), dim=1)
sim = u @ v.T  # cosine similarities; the diagonal holds positives

def info_nce(tau):  # cross-entropy: "which of the N is my partner?"
    return F.cross_entropy(sim / tau, torch.arange(N))
by_hand = -(torch.diag(sim / 0.1)
            - torch.logsumexp(sim / 0.1, dim=1)).mean()
assert torch.isclose(info_nce(0.1), by_hand)
chance = F.cross_entropy(torch.zeros(N, N), torch.arange(N))
assert torch.isclose(chance, torch.tensor(math.log(N)))  # no signal
# softmax weight each negative gets in the gradient of row 0
neg = sim[0, 1:]
share = [(neg / t).softmax(0).max().item() for t in (1.0, 0.1, 0.03)]
assert share[0] < share[1] < share[2]  # low tau: hardest negative
print("InfoNCE at tau=0.1:", round(info_nce(0.1).item(), 3))
print("weight on the hardest negative, tau 1 / 0.1 / 0.03:",
      [round(s, 2) for s in share])
