import numpy as np
from sklearn.metrics import brier_score_loss
rng = np.random.default_rng(0)
risk = rng.beta(2, 5, 20000)                  # true risks
y = rng.random(20000) < risk
f = np.clip(np.round(1.4 * risk, 1), 0, 1)    # over-confident, 0.1 grid
def murphy(f):                                # Murphy (1973)
    base, rel, res = y.mean(), 0.0, 0.0
    for v in np.unique(f):
        m = f == v
        rel += m.mean() * (v - y[m].mean()) ** 2       # calibration
        res += m.mean() * (y[m].mean() - base) ** 2    # separation
    return rel, res, base * (1 - base)               # uncertainty
rel, res, unc = murphy(f)
assert np.isclose(brier_score_loss(y, f), rel - res + unc)
# recalibrate: each forecast -> its group's observed rate
_, group = np.unique(f, return_inverse=True)
g = (np.bincount(group, weights=y) / np.bincount(group))[group]
rel2, res2, _ = murphy(g)
assert rel2 < 1e-12 and np.isclose(res2, res)  # same resolution
assert brier_score_loss(y, g) < brier_score_loss(y, f)
clim = np.full_like(f, y.mean())              # everyone the base rate
assert np.isclose(brier_score_loss(y, clim), unc)
print(f"Brier {brier_score_loss(y, f):.4f} = REL {rel:.4f} "
      f"- RES {res:.4f} + UNC {unc:.4f}")
print(f"recalibrated: Brier {brier_score_loss(y, g):.4f}, REL 0")
