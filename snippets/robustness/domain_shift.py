import numpy as np
from sklearn.linear_model import LogisticRegression as LR
from sklearn.metrics import roc_auc_score
rng = np.random.default_rng(0)
def hospital(n, shortcut, offset):
    y = rng.random(n) < 0.3
    signal = y + rng.normal(0, 1, n)            # real disease signal
    marker = shortcut * y + rng.normal(0, 0.3, n)  # e.g. a scanner tag
    other = rng.normal(offset, 1, n)            # a shifted measurement
    return np.c_[signal, marker, other], y
Xa, ya = hospital(2000, shortcut=1.0, offset=0.0)  # training site
Xb, yb = hospital(2000, shortcut=0.0, offset=1.5)  # a new site
model = LR().fit(Xa, ya)
Xa2, ya2 = hospital(2000, shortcut=1.0, offset=0.0)  # same site, new
auc_a = roc_auc_score(ya2, model.decision_function(Xa2))
auc_b = roc_auc_score(yb, model.decision_function(Xb))
# detect the shift without labels: can a model tell the sites apart?
site = np.r_[np.zeros(2000), np.ones(2000)]
Xab = np.r_[Xa2, Xb]
sep = roc_auc_score(site, LR().fit(Xab, site).decision_function(Xab))
print(f"AUC: same site {auc_a:.2f}, new site {auc_b:.2f}; "
      f"site classifier AUC {sep:.2f}")
assert auc_a > 0.9 and auc_b < auc_a - 0.15 and sep > 0.8
