import numpy as np
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(0)
n = 40_000
group_b = rng.random(n) < 0.2                   # a minority group: 20% of patients
y = rng.random(n) < 0.1                         # same disease prevalence in both groups
signal = np.where(group_b, 0.8, 2.5)            # disease is less visible to the model in B
score = y * signal + rng.normal(size=n)
pred = score > 1.25                             # one threshold for everyone

def rates(m):                                   # TPR (sensitivity) and FPR in subgroup m
    return pred[m & y].mean(), pred[m & ~y].mean()

tpr_all, fpr_all = rates(np.ones(n, bool))
(tpr_a, fpr_a), (tpr_b, fpr_b) = rates(~group_b), rates(group_b)
assert tpr_all > 0.7                            # the pooled number looks fine...
assert tpr_a - tpr_b > 0.4                      # ...but group B misses far more disease
assert abs(fpr_a - fpr_b) < 0.02                # at the same false-alarm rate
for name, m in [("all", np.ones(n, bool)), ("A", ~group_b), ("B", group_b)]:
    tpr, fpr = rates(m)
    print(f"{name:>3}: AUC {roc_auc_score(y[m], score[m]):.3f} TPR {tpr:.2f} FPR {fpr:.2f}")
