import numpy as np
from sklearn.metrics import roc_auc_score as auc

def ece(p, y, n_bins=10):  # sum of share * |event rate - mean risk|
    b = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return sum(m.mean() * abs(y[m].mean() - p[m].mean())
               for m in (b == k for k in np.unique(b)))

# hand check: 4 at risk 0.8 (2 events), 6 at 0.1 (no events)
p = np.array([0.8] * 4 + [0.1] * 6)
y = np.array([1, 1, 0, 0] + [0] * 6)
assert np.isclose(ece(p, y), 0.4 * abs(0.5 - 0.8) + 0.6 * 0.1)

rng = np.random.default_rng(0)
risk = rng.uniform(0.01, 0.99, 20_000)
y = (rng.uniform(size=risk.size) < risk).astype(int)  # true risks
pushed = 1 / (1 + ((1 - risk) / risk) ** 3)  # sigmoid(3 * logit)
base_rate = np.full(risk.size, y.mean())  # one risk for everyone

assert ece(risk, y) < 0.02 and ece(pushed, y) > 0.1
assert auc(y, pushed) == auc(y, risk)
assert ece(base_rate, y) < 1e-9 and auc(y, base_rate) == 0.5
print(f"ECE: true {ece(risk, y):.3f}, pushed {ece(pushed, y):.3f}")
