import math
import torch
import torch.nn.functional as F
bce = F.binary_cross_entropy_with_logits
def focal(logits, y, gamma=2.0):     # Lin et al. (2017), no alpha
    ce = bce(logits, y, reduction="none")
    p_t = torch.exp(-ce)             # probability of the true class
    return (1 - p_t) ** gamma * ce
torch.manual_seed(0)
z, y = torch.randn(100) * 3, (torch.rand(100) < 0.5).float()
assert torch.allclose(focal(z, y, 0), bce(z, y, reduction="none"))
# 10,000 easy negatives (p_t = 0.99) and 10 hard positives (p_t = 0.1)
z = torch.tensor([math.log(1 / 99)] * 10000 + [math.log(1 / 9)] * 10)
y = torch.cat([torch.zeros(10000), torch.ones(10)])
share = [(loss[-10:].sum() / loss.sum()).item()
         for loss in (bce(z, y, reduction="none"), focal(z, y))]
assert share[0] < 0.25 and share[1] > 0.99
b = -math.log((1 - 0.01) / 0.01)     # prior init of the output bias
assert abs(torch.sigmoid(torch.tensor(b)).item() - 0.01) < 1e-6
print(f"loss share of 10 hard positives: BCE {share[0]:.0%}, "
      f"focal {share[1]:.1%}")
