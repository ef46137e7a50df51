import numpy as np
from sklearn.linear_model import LogisticRegression as LR
from sklearn.metrics import roc_auc_score
rng = np.random.default_rng(0)
def site(n, prevalence):                # same disease, other case mix
    y = rng.random(n) < prevalence
    return rng.normal(0.5 * y[:, None], 1, (n, 4)), y
Xa, ya = site(4000, 0.20)               # development hospital
Xb, yb = site(4000, 0.05)               # external hospital
model = LR().fit(Xa[:3000], ya[:3000])
risk = lambda X: model.predict_proba(X)[:, 1]
auc_int = roc_auc_score(ya[3000:], risk(Xa[3000:]))  # internal split
auc_ext = roc_auc_score(yb, risk(Xb))
# calibration-in-the-large: mean predicted risk vs observed rate
print(f"AUC internal {auc_int:.2f}, external {auc_ext:.2f}; external "
      f"mean risk {risk(Xb).mean():.2f} vs observed {yb.mean():.2f}")
assert abs(auc_int - auc_ext) < 0.06          # ranking transfers
assert risk(Xb).mean() > 2 * yb.mean()        # calibration does not
# update the intercept only (Steyerberg): logit + log(odds ratio)
shift = np.log(0.05 / 0.95) - np.log(0.20 / 0.80)
fixed = 1 / (1 + np.exp(-(model.decision_function(Xb) + shift)))
assert abs(fixed.mean() - yb.mean()) < 0.02
