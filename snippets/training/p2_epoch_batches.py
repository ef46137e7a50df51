import math
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
X, y = torch.randn(1000, 3), torch.randint(0, 2, (1000,)).float()
data = TensorDataset(X, y)
loader = DataLoader(data, batch_size=64, shuffle=True)
sizes = [len(xb) for xb, _ in loader]          # one epoch
assert len(loader) == math.ceil(1000 / 64) == 16   # not 15.6
assert sizes[-1] == 1000 - 15 * 64 == 40       # partial last batch
assert sum(sizes) == 1000                      # each example once
dropped = DataLoader(data, batch_size=64, drop_last=True)
assert len(dropped) == 1000 // 64 == 15        # 40 examples skipped
# a last batch of ONE plus .squeeze() breaks shape-checked losses
xb, yb = list(DataLoader(data, batch_size=999))[-1]   # 999 + 1
logits = torch.nn.Linear(3, 1)(xb).squeeze()   # shape () not (1,)
for f, a in [(F.binary_cross_entropy_with_logits, (logits, yb)),
             (torch.nn.BatchNorm1d(3), (xb,))]:  # 1 value/channel
    try:
        f(*a); raise AssertionError("expected a ValueError")
    except ValueError:
        pass
torch.nn.BatchNorm2d(3)(torch.randn(1, 3, 4, 4))  # 1 image: fine
print(f"ValueError: logits {tuple(logits.shape)} vs labels "
      f"{tuple(yb.shape)}; BatchNorm1d on {tuple(xb.shape)}")
