import numpy as np
from sklearn.metrics import brier_score_loss as brier, roc_auc_score as auc
rng = np.random.default_rng(0)
p = rng.beta(1, 6, size=50_000)                 # each patient's true risk
y = rng.random(p.size) < p                      # outcomes drawn from it: p is calibrated
over = p ** 0.3                                 # same ranking, inflated probabilities
assert auc(y, over) == auc(y, p)                # AUC sees only the ranking
assert brier(y, over) > brier(y, p) + 0.05
assert y[(over > 0.5) & (over < 0.6)].mean() < 0.25   # told "50-60%": far fewer fall ill
c_fp, c_fn = 1.0, 9.0                           # a missed case costs 9 false alarms
t = c_fp / (c_fp + c_fn)                        # treat when p > 0.1 (needs calibrated p)
def cost(score, thr):
    return c_fp * ((score > thr) & ~y).sum() + c_fn * ((score <= thr) & y).sum()
assert cost(p, t) < min(cost(p, 0.5), cost(over, t))   # beats 0.5; misfires on inflated p
print(f"Brier: calibrated {brier(y, p):.3f}, inflated {brier(y, over):.3f}")
