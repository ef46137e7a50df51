import math
import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(1000, 3), torch.randint(0, 2, (1000,)).float())

loader = DataLoader(data, batch_size=64, shuffle=True)
sizes = [len(xb) for xb, _ in loader]                     # one epoch
assert len(loader) == math.ceil(1000 / 64) == 16          # 16 iterations, not 15.6
assert sizes[-1] == 1000 - 15 * 64 == 40                  # last batch is partial
assert sum(sizes) == 1000                                 # every example seen once

dropped = DataLoader(data, batch_size=64, drop_last=True)
assert len(dropped) == 1000 // 64 == 15                   # 40 examples skipped each epoch

# A last batch of ONE plus .squeeze() breaks shape-sensitive losses
last = list(DataLoader(data, batch_size=999))[-1]         # 1000 = 999 + 1
logits = torch.nn.Linear(3, 1)(last[0]).squeeze()         # shape () instead of (1,)
try:
    torch.nn.functional.binary_cross_entropy_with_logits(logits, last[1])
    raise AssertionError("expected a shape error")
except ValueError as e:
    print("batch of one:", e)
