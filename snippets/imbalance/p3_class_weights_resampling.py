import numpy as np
import torch
from sklearn.linear_model import LogisticRegression as LR
from sklearn.metrics import roc_auc_score
bce = torch.nn.functional.binary_cross_entropy_with_logits
logits = torch.randn(10)
y = torch.tensor([1., 0, 0, 1, 0, 0, 0, 0, 1, 0])
pos = y == 1              # pos_weight=4 == each positive 4 times
dup = bce(torch.cat([logits] + [logits[pos]] * 3),
          torch.cat([y] + [y[pos]] * 3), reduction="sum")
w4 = bce(logits, y, pos_weight=torch.tensor(4.0), reduction="sum")
assert torch.isclose(w4, dup)
rng = np.random.default_rng(0)   # synthetic "fraud": ~3% positive
X = rng.normal(size=(20_000, 2))
y = rng.random(20_000) < 1 / (1 + np.exp(-(2 * X[:, 0] - 5)))
plain = LR().fit(X, y).predict_proba(X)[:, 1]
weighted = LR(class_weight="balanced").fit(X, y)
balanced = weighted.predict_proba(X)[:, 1]
assert abs(plain.mean() - y.mean()) < 0.005  # mean risk = base rate
assert balanced.mean() > 5 * y.mean()        # all risks inflated
auc_gap = roc_auc_score(y, plain) - roc_auc_score(y, balanced)
assert abs(auc_gap) < 0.005                  # same ranking
