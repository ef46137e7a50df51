import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
K, eps = 5, 0.1
logits, y = torch.randn(3, K), torch.tensor([0, 2, 4])
target = torch.full((3, K), eps / K)                  # eps spread over ALL K classes
target[torch.arange(3), y] = 1 - eps + eps / K        # true class: 1 - eps + eps/K
assert torch.allclose(target.sum(1), torch.ones(3))
assert math.isclose(target[0, 0].item(), 0.92, rel_tol=1e-6)
manual = -(target * logits.log_softmax(1)).sum(1).mean()
builtin = F.cross_entropy(logits, y, label_smoothing=eps)
assert torch.isclose(builtin, manual)

other = torch.full((3, K), eps / (K - 1))             # the "0.9 + 0.1 over the others" variant
other[torch.arange(3), y] = 1 - eps
assert not torch.isclose(builtin, -(other * logits.log_softmax(1)).sum(1).mean())

# the loss is now minimised at a FINITE logit gap, log(0.92 / 0.02), not at infinity
def loss_at(gap):
    z = torch.zeros(1, K)
    z[0, 0] = gap
    return F.cross_entropy(z, torch.tensor([0]), label_smoothing=eps).item()

best = math.log((1 - eps + eps / K) / (eps / K))
assert loss_at(best) < loss_at(best - 1) and loss_at(best) < loss_at(best + 1)
print(f"optimal logit gap {best:.2f}; loss there {loss_at(best):.4f}, at 20: {loss_at(20):.4f}")
