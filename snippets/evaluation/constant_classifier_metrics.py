import numpy as np
from sklearn import metrics as m

y = np.array([0] * 950 + [1] * 50)  # 50 readmitted patients
always_no = np.zeros(1000)  # "healthy" for all; a constant score

assert m.accuracy_score(y, always_no) == 0.95  # looks excellent
assert m.recall_score(y, always_no) == 0.0     # finds nobody
assert m.balanced_accuracy_score(y, always_no) == 0.5
assert m.roc_auc_score(y, always_no) == 0.5    # ranks nobody
ap = m.average_precision_score(y, always_no)
assert np.isclose(ap, 0.05)  # AUPRC floor = prevalence
