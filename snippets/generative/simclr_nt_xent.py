import torch
import torch.nn.functional as F
torch.manual_seed(0)
N, tau = 4, 0.5
z = F.normalize(torch.randn(2 * N, 8), dim=1)  # views: rows i, i + N
sim = z @ z.T / tau
sim.fill_diagonal_(float("-inf"))  # a view is not its own negative
partner = torch.cat([torch.arange(N, 2 * N), torch.arange(N)])
loss = F.cross_entropy(sim, partner)  # NT-Xent over all 2N anchors
# by hand: -log( e^{s(i,j)} / sum_{k != i} e^{s(i,k)} ), averaged
total = 0.0
for i in range(2 * N):
    s = z[i] @ z.T / tau
    others = torch.cat([s[:i], s[i + 1:]])  # 2N - 1 candidates
    total += -(s[partner[i]] - torch.logsumexp(others, dim=0))
assert torch.isclose(loss, total / (2 * N))
# each anchor: 1 positive and 2N - 2 negatives from the same batch
assert (sim[0] > float("-inf")).sum() == 2 * N - 1
print(f"NT-Xent, {2 * N} views, {2 * N - 2} negatives per anchor: "
      f"{loss:.3f}")
