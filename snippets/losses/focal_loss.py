import math
import torch
import torch.nn.functional as F
def focal(logits, y, gamma=2.0):     # Lin et al. (2017), no alpha
    ce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    p_t = torch.exp(-ce)             # probability of the true class
    return (1 - p_t) ** gamma * ce
torch.manual_seed(0)
z, y = torch.randn(100) * 3, (torch.rand(100) < 0.5).float()
bce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
assert torch.allclose(focal(z, y, gamma=0), bce)   # gamma 0: plain BCE
# 10,000 easy negatives (p_t = 0.99) and 10 hard positives (p_t = 0.1)
z = torch.cat([torch.full((10000,), math.log(1 / 99)),
               torch.full((10,), math.log(1 / 9))])
y = torch.cat([torch.zeros(10000), torch.ones(10)])
def hard_share(loss):
    return (loss[-10:].sum() / loss.sum()).item()
ce_share = hard_share(F.binary_cross_entropy_with_logits(
    z, y, reduction="none"))
fl_share = hard_share(focal(z, y))
assert ce_share < 0.25 and fl_share > 0.99
b = -math.log((1 - 0.01) / 0.01)     # prior init of the output bias
assert abs(torch.sigmoid(torch.tensor(b)).item() - 0.01) < 1e-6
print(f"share of the loss from 10 hard positives: BCE {ce_share:.0%},"
      f" focal {fl_share:.1%}")
