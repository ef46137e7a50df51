import numpy as np
from sklearn.metrics import roc_auc_score

def ece(p, y, n_bins=10):
    """Sum over bins of share * |event rate - mean predicted risk|."""
    b = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return sum((b == k).mean() * abs(y[b == k].mean() - p[b == k].mean())
               for k in np.unique(b))

# hand check: 4 patients at risk 0.8 (2 events), 6 at 0.1 (no events)
p = np.array([0.8] * 4 + [0.1] * 6)
y = np.array([1, 1, 0, 0] + [0] * 6)
assert np.isclose(ece(p, y), 0.4 * abs(0.5 - 0.8) + 0.6 * abs(0 - 0.1))

rng = np.random.default_rng(0)
risk = rng.uniform(0.01, 0.99, 20_000)
y = (rng.uniform(size=risk.size) < risk).astype(int)  # true risks
logit = np.log(risk / (1 - risk))
overconf = 1 / (1 + np.exp(-3 * logit))  # same order, pushed outward
base_rate = np.full(risk.size, y.mean())  # one risk for everyone

assert ece(risk, y) < 0.02 and ece(overconf, y) > 0.1
assert roc_auc_score(y, overconf) == roc_auc_score(y, risk)
assert ece(base_rate, y) < 1e-9          # perfectly calibrated...
assert roc_auc_score(y, base_rate) == 0.5  # ...and useless
print(f"ECE: true risks {ece(risk, y):.3f}, "
      f"overconfident {ece(overconf, y):.3f}")
