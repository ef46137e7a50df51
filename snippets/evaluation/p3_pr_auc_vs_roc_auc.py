import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import average_precision_score as pr_auc
from sklearn.metrics import precision_recall_curve, roc_curve
from sklearn.metrics import roc_auc_score as roc_auc
rng, n, result = np.random.default_rng(0), 100_000, {}
fig, (left, right) = plt.subplots(1, 2, sharey=True)
for prevalence in (0.5, 0.01):
    y, noise = rng.random(n) < prevalence, rng.random(n)  # no skill
    assert abs(roc_auc(y, noise) - 0.5) < 0.03
    assert abs(pr_auc(y, noise) - prevalence) < 0.03  # = prevalence
    score = y + rng.normal(size=n)        # SAME model quality
    result[prevalence] = roc_auc(y, score), pr_auc(y, score)
    fpr, tpr, _ = roc_curve(y, score)
    prec, rec, _ = precision_recall_curve(y, score)
    left.plot(fpr[::50], tpr[::50], label=f"{prevalence:.0%} positive")
    right.plot(rec[::50], prec[::50])
(roc_bal, pr_bal), (roc_rare, pr_rare) = result[0.5], result[0.01]
assert abs(roc_bal - roc_rare) < 0.03  # ROC-AUC ignores prevalence
assert pr_rare < pr_bal / 3            # PR-AUC collapses when rare
for p, (roc, pr) in result.items():
    print(f"prevalence {p:.0%}: ROC-AUC {roc:.3f}, PR-AUC {pr:.3f}")
left.set(title="ROC", xlabel="false positive rate"); left.legend()
right.set(title="precision-recall", xlabel="recall")
fig.savefig("roc_vs_pr.svg")
