import warnings
import torch
from torch.nn import Linear, ReLU, Sequential, functional as F
torch.manual_seed(0)
X, y = torch.randn(8, 5), torch.randn(8)  # ONE batch, targets (8,)
def first_and_last_loss(shape_bug):
    net = Sequential(Linear(5, 64), ReLU(), Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for _ in range(100):
        opt.zero_grad()
        pred = net(X) if shape_bug else net(X).squeeze(-1)
        with warnings.catch_warnings(action="ignore"):  # only warns
            loss = F.mse_loss(pred, y)    # (8,1) vs (8,) -> (8,8)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses[0], losses[-1]
assert first_and_last_loss(shape_bug=False)[1] < 1e-3  # memorised
first, buggy = first_and_last_loss(shape_bug=True)
assert buggy < first    # the loss still falls, so it looks fine...
assert abs(buggy - y.var(unbiased=False).item()) < 1e-2  # ...stuck
print(f"loss with the shape bug: {buggy:.3f}")
