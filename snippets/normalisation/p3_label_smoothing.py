import math
import torch
import torch.nn.functional as F
K, eps = 5, 0.1
logits, y = torch.randn(3, K), torch.tensor([0, 2, 4])
target = torch.full((3, K), eps / K)                  # eps spread over ALL K classes
target[torch.arange(3), y] = 1 - eps + eps / K        # true class: 1 - eps + eps/K
assert math.isclose(target[0, 0].item(), 0.92, rel_tol=1e-6)
builtin = F.cross_entropy(logits, y, label_smoothing=eps)
assert torch.isclose(builtin, -(target * logits.log_softmax(1)).sum(1).mean())
other = torch.full((3, K), eps / (K - 1))             # "0.9 + 0.1 over the others": different
other[torch.arange(3), y] = 1 - eps
assert not torch.isclose(builtin, -(other * logits.log_softmax(1)).sum(1).mean())
def loss_at(gap):                                     # true-class logit `gap` above the rest
    z = torch.zeros(1, K).index_fill(1, torch.tensor([0]), gap)
    return F.cross_entropy(z, torch.tensor([0]), label_smoothing=eps).item()
best = math.log((1 - eps + eps / K) / (eps / K))      # the optimum is a FINITE gap
assert loss_at(best) < min(loss_at(best - 1), loss_at(best + 1))
print(f"optimal logit gap {best:.2f}; loss there {loss_at(best):.4f}, at 20: {loss_at(20):.4f}")
