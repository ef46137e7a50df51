import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
rng = np.random.default_rng(0)
def site(n, prev):                # same P(x | y) everywhere
    y = rng.random(n) < prev
    return rng.normal(1.5 * y, 1.0)[:, None], y
X_tr, y_tr = site(4000, 0.5)      # trained on a balanced sample
X_new, y_new = site(20000, 0.05)  # deployed where 5% have the event
p = LogisticRegression().fit(X_tr, y_tr).predict_proba(X_new)[:, 1]
def logit(q):
    return np.log(q / (1 - q))
# Bayes: shift every logit by the change in the prior log-odds
shift = logit(0.05) - logit(y_tr.mean())
p_fix = 1 / (1 + np.exp(-(logit(p) + shift)))
assert p.mean() > 3 * y_new.mean()              # far too high
assert abs(p_fix.mean() - y_new.mean()) < 0.01   # calibrated again
assert log_loss(y_new, p_fix) < 0.6 * log_loss(y_new, p)
assert np.isclose(roc_auc_score(y_new, p_fix), roc_auc_score(y_new, p))
print(f"mean risk {p.mean():.3f} -> {p_fix.mean():.3f} "
      f"(observed {y_new.mean():.3f}); AUC unchanged")
