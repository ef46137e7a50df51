import math
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
K, eps, rows = 5, 0.1, torch.arange(3)
logits, y = torch.randn(3, K), torch.tensor([0, 2, 4])
target = torch.full((3, K), eps / K)  # eps spread over ALL K
target[rows, y] = 1 - eps + eps / K   # true class: 0.92
assert math.isclose(target[0, 0].item(), 0.92, rel_tol=1e-6)
ce = lambda t: -(t * logits.log_softmax(1)).sum(1).mean()  # soft CE
builtin = F.cross_entropy(logits, y, label_smoothing=eps)
assert torch.isclose(builtin, ce(target))
other = torch.full((3, K), eps / (K - 1)); other[rows, y] = 1 - eps
assert not torch.isclose(builtin, ce(other))  # 0.9 + 0.1 over rest
names = "one-hot", "smoothed (eps 0.1)", "0.9 true, 0.1 over the rest"
for i, t in enumerate([F.one_hot(y, K)[0], target[0], other[0]]):
    plt.bar(torch.arange(K) + 0.27 * (i - 1), t, 0.27, label=names[i])
plt.xlabel("class (true: 0)"); plt.ylabel("target probability")
plt.legend(); plt.savefig("label_smoothing_targets.svg")
loss_at = lambda gap: F.cross_entropy(gap * torch.eye(K)[0],  # logits
    torch.tensor(0), label_smoothing=eps)  # true class `gap` above rest
best = math.log((1 - eps + eps / K) / (eps / K))  # FINITE optimum
assert loss_at(best) < min(loss_at(best - 1), loss_at(best + 1))
print(f"best logit gap {best:.2f}: loss {loss_at(best):.4f}; "
      f"gap 20: loss {loss_at(20):.4f}")
