import numpy as np
from sklearn.metrics import brier_score_loss as brier
from sklearn.metrics import roc_auc_score as auc
rng = np.random.default_rng(0)
p = rng.beta(1, 6, size=50_000)    # each patient's true risk
y = rng.random(p.size) < p         # outcomes drawn from it
over = p ** 0.3                    # same ranking, inflated risks
assert auc(y, over) == auc(y, p)   # AUC only sees the ranking
assert brier(y, over) > brier(y, p) + 0.05
told_half = (over > 0.5) & (over < 0.6)  # told "50-60% risk"...
assert y[told_half].mean() < 0.25        # ...far fewer fall ill
c_fp, c_fn = 1.0, 9.0              # a miss costs 9 false alarms
t = c_fp / (c_fp + c_fn)           # treat if p > 0.1 (calibrated)
def cost(score, thr):
    fp, fn = (score > thr) & ~y, (score <= thr) & y
    return c_fp * fp.sum() + c_fn * fn.sum()
assert cost(p, t) < cost(p, 0.5)   # the cost threshold beats 0.5
assert cost(p, t) < cost(over, t)  # and misfires on inflated risks
print(f"Brier: calibrated {brier(y, p):.3f}, "
      f"inflated {brier(y, over):.3f}")
