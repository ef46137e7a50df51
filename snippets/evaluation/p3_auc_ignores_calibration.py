import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

rng = np.random.default_rng(0)
p = rng.beta(1, 6, size=50_000)                 # each patient's true risk
y = rng.random(p.size) < p                      # outcomes drawn from it: p is calibrated
over = p ** 0.3                                 # same ranking, inflated probabilities
assert roc_auc_score(y, over) == roc_auc_score(y, p)          # AUC sees only the ranking
assert brier_score_loss(y, over) > brier_score_loss(y, p) + 0.05
told_half = (over > 0.5) & (over < 0.6)         # patients told "50-60% risk"...
assert y[told_half].mean() < 0.25               # ...fall ill far less often

c_fp, c_fn = 1.0, 9.0                           # a missed case costs 9x a false alarm
t = c_fp / (c_fp + c_fn)                        # treat when p > 0.1 (needs calibrated p)

def cost(score, thr):
    return c_fp * ((score > thr) & ~y).sum() + c_fn * ((score <= thr) & y).sum()

assert cost(p, t) < cost(p, 0.5)                # cost-based threshold beats 0.5
assert cost(p, t) < cost(over, t)               # and it breaks on miscalibrated scores
print(f"Brier: calibrated {brier_score_loss(y, p):.3f}, inflated {brier_score_loss(y, over):.3f}")
