import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
logits, y = torch.randn(10), torch.tensor([1., 0, 0, 1, 0, 0, 0, 0, 1, 0])
bce = torch.nn.functional.binary_cross_entropy_with_logits
pos = y == 1                                  # pos_weight=4 == every positive repeated 4 times
dup = bce(torch.cat([logits] + [logits[pos]] * 3), torch.cat([y] + [y[pos]] * 3), reduction="sum")
assert torch.isclose(bce(logits, y, pos_weight=torch.tensor(4.0), reduction="sum"), dup)
rng = np.random.default_rng(0)                # synthetic "fraud": about 3% positives
X = rng.normal(size=(20_000, 2))
y = rng.random(20_000) < 1 / (1 + np.exp(-(2 * X[:, 0] - 5)))
plain = LogisticRegression().fit(X, y).predict_proba(X)[:, 1]
balanced = LogisticRegression(class_weight="balanced").fit(X, y).predict_proba(X)[:, 1]
assert abs(plain.mean() - y.mean()) < 0.005   # unweighted: mean risk = fraud rate
assert balanced.mean() > 5 * y.mean()         # weighted: every probability inflated
assert abs(roc_auc_score(y, plain) - roc_auc_score(y, balanced)) < 0.005  # same ranking
