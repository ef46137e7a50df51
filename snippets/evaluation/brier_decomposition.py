import numpy as np
from sklearn.metrics import brier_score_loss as brier
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
assert np.isclose(brier(y, f), rel - res + unc)
_, grp = np.unique(f, return_inverse=True)   # recalibrate each group
g = (np.bincount(grp, weights=y) / np.bincount(grp))[grp]  # to its rate
rel2, res2, _ = murphy(g)
assert rel2 < 1e-12 and np.isclose(res2, res)   # same resolution
assert brier(y, g) < brier(y, f)
assert np.isclose(brier(y, np.full_like(f, y.mean())), unc)  # base rate
print(f"Brier {brier(y, f):.4f} = REL {rel:.4f} - RES {res:.4f} "
      f"+ UNC {unc:.4f}")
