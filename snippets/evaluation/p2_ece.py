import numpy as np
from sklearn.metrics import roc_auc_score

def ece(p, y, n_bins=10):
    """Binary ECE: sum over bins of (bin share) * |observed rate - mean predicted risk|."""
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return sum((bins == b).mean() * abs(y[bins == b].mean() - p[bins == b].mean())
               for b in np.unique(bins))

# hand check: 4 patients at 0.8 risk (2 events), 6 at 0.1 risk (0 events)
p = np.array([0.8] * 4 + [0.1] * 6)
y = np.array([1, 1, 0, 0] + [0] * 6)
assert np.isclose(ece(p, y), 0.4 * abs(0.5 - 0.8) + 0.6 * abs(0.0 - 0.1))   # 0.18

rng = np.random.default_rng(0)
risk = rng.uniform(0.01, 0.99, 20_000)
y = (rng.uniform(size=risk.size) < risk).astype(int)       # outcomes drawn from risk
logit = np.log(risk / (1 - risk))
overconfident = 1 / (1 + np.exp(-3 * logit))                # same ranking, pushed to extremes
base_rate = np.full(risk.size, y.mean())                    # same risk for everyone

assert ece(risk, y) < 0.02 and ece(overconfident, y) > 0.1
assert roc_auc_score(y, overconfident) == roc_auc_score(y, risk)   # ranking unchanged
assert ece(base_rate, y) < 1e-9 and roc_auc_score(y, base_rate) == 0.5  # calibrated, useless
print(f"ECE calibrated {ece(risk, y):.3f}, overconfident {ece(overconfident, y):.3f}")
