import copy
import torch
import torch.nn.functional as F
torch.manual_seed(0)
online = torch.nn.Linear(8, 4)
predictor = torch.nn.Linear(4, 4)
target = copy.deepcopy(online).requires_grad_(False)  # EMA copy
def byol_loss(p, z):  # 2 - 2 cos(p, z); z from the target, no grad
    return (2 - 2 * F.cosine_similarity(p, z.detach(), dim=-1)).mean()
v1, v2 = torch.randn(16, 8), torch.randn(16, 8)  # two views
loss = byol_loss(predictor(online(v1)), target(v2))
loss.backward()
assert online.weight.grad is not None and target.weight.grad is None
# the loss alone allows collapse: a constant output scores a perfect 0
const = torch.ones(16, 4)
assert byol_loss(const, const) == 0
tau, old = 0.996, target.weight.clone()  # EMA, not backprop:
with torch.no_grad():
    for pt, po in zip(target.parameters(), online.parameters()):
        pt.mul_(tau).add_((1 - tau) * po)
assert torch.allclose(target.weight,
                      tau * old + (1 - tau) * online.weight)
print(f"loss {loss:.3f}; target got no gradient; "
      "a constant encoder also reaches loss 0")
