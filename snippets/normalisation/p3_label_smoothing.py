import math
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
K, eps = 5, 0.1
logits, y = torch.randn(3, K), torch.tensor([0, 2, 4])
rows = torch.arange(3)
target = torch.full((3, K), eps / K)  # eps spread over ALL K
target[rows, y] = 1 - eps + eps / K   # true class: 0.92
assert math.isclose(target[0, 0].item(), 0.92, rel_tol=1e-6)
def ce(t):                            # cross-entropy, soft target
    return -(t * logits.log_softmax(1)).sum(1).mean()
builtin = F.cross_entropy(logits, y, label_smoothing=eps)
assert torch.isclose(builtin, ce(target))
# "0.9 true, 0.1 over the others" is a different loss
other = torch.full((3, K), eps / (K - 1))
other[rows, y] = 1 - eps
assert not torch.isclose(builtin, ce(other))
bars = {"one-hot": F.one_hot(y, K)[0], "smoothed (eps 0.1)": target[0],
        "0.9 true, 0.1 over the rest": other[0]}
for i, (name, t) in enumerate(bars.items()):
    plt.bar(torch.arange(K) + 0.27 * (i - 1), t, 0.27, label=name)
plt.xlabel("class (true: 0)"); plt.ylabel("target probability")
plt.legend(); plt.savefig("label_smoothing_targets.svg")
def loss_at(gap):      # true-class logit `gap` above the rest
    z = torch.zeros(1, K).index_fill(1, torch.tensor([0]), gap)
    return F.cross_entropy(z, torch.tensor([0]),
                           label_smoothing=eps).item()
best = math.log((1 - eps + eps / K) / (eps / K))  # FINITE optimum
assert loss_at(best) < min(loss_at(best - 1), loss_at(best + 1))
print(f"best logit gap {best:.2f}: loss {loss_at(best):.4f}; "
      f"gap 20: loss {loss_at(20):.4f}")
