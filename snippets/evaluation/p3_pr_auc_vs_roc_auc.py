import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
rng = np.random.default_rng(0)
n = 100_000
result = {}
for prevalence in (0.5, 0.01):
    y = rng.random(n) < prevalence
    noise = rng.random(n)                            # a useless, random scorer
    assert abs(roc_auc_score(y, noise) - 0.5) < 0.03
    assert abs(average_precision_score(y, noise) - prevalence) < 0.03  # PR baseline = prevalence
    score = y + rng.normal(size=n)                   # the SAME model quality at both prevalences
    result[prevalence] = roc_auc_score(y, score), average_precision_score(y, score)
(roc_bal, ap_bal), (roc_rare, ap_rare) = result[0.5], result[0.01]
assert abs(roc_bal - roc_rare) < 0.03               # ROC-AUC ignores prevalence
assert ap_rare < ap_bal / 3                          # PR-AUC collapses when positives are rare
for p, (roc, ap) in result.items():
    print(f"prevalence {p:.0%}: ROC-AUC {roc:.3f}  PR-AUC (AP) {ap:.3f}")
