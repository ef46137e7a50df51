import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             recall_score, roc_auc_score)

y = np.array([0] * 950 + [1] * 50)   # 950 not readmitted, 50 readmitted
always_no = np.zeros(1000)           # predicts "healthy" for everyone; its score is constant

assert accuracy_score(y, always_no) == 0.95          # looks excellent
assert recall_score(y, always_no) == 0.0             # finds none of the 50 patients
assert balanced_accuracy_score(y, always_no) == 0.5  # mean of per-class recalls
assert roc_auc_score(y, always_no) == 0.5            # a constant score ranks nobody
assert np.isclose(average_precision_score(y, always_no), 0.05)  # AUPRC floor = prevalence

rng = np.random.default_rng(0)                       # a useless random scorer does no better
noise = rng.random(1000)
print(f"random scores: ROC AUC {roc_auc_score(y, noise):.3f}, AUPRC {average_precision_score(y, noise):.3f}")
