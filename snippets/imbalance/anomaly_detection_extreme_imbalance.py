import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
rng = np.random.default_rng(0)
normal = rng.normal(size=(2000, 4))           # legitimate activity
known = rng.normal(size=(5, 4)); known[:, 0] += 5  # 5 labelled frauds
X = np.r_[normal, known]
y = np.r_[np.zeros(2000), np.ones(5)]
clf = LogisticRegression(class_weight="balanced").fit(X, y)
det = IsolationForest(n_estimators=50, random_state=0)
det.fit(normal)                               # normal data only
test_n = rng.normal(size=(1000, 4))
new = rng.normal(size=(20, 4)); new[:, 1] -= 5  # unseen fraud type
Xt = np.r_[test_n, new]
yt = np.r_[np.zeros(1000), np.ones(20)]
auc_clf = roc_auc_score(yt, clf.decision_function(Xt))
auc_det = roc_auc_score(yt, -det.score_samples(Xt))  # higher = odder
print(f"AUC on a new fraud type: classifier {auc_clf:.2f}, "
      f"isolation forest {auc_det:.2f}")
assert auc_det > 0.9 and auc_det > auc_clf + 0.2
