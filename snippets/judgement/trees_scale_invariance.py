import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 4))
y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
Xs = X * 2.0 ** np.array([-6, 0, 3, 6])  # same features in other units (exact powers of two)

# Trees split on orderings, so rescaling a feature changes nothing.
gb_a = GradientBoostingClassifier(n_estimators=10, random_state=0).fit(X, y).predict_proba(X)
gb_b = GradientBoostingClassifier(n_estimators=10, random_state=0).fit(Xs, y).predict_proba(Xs)
assert np.array_equal(gb_a, gb_b)
# A penalised linear model is not scale-invariant: it needs standardised inputs.
lr_a = LogisticRegression(max_iter=1000).fit(X, y).predict_proba(X)
lr_b = LogisticRegression(max_iter=1000).fit(Xs, y).predict_proba(Xs)
print("largest change in a logistic-regression probability:", np.abs(lr_a - lr_b).max().round(3))
assert np.abs(lr_a - lr_b).max() > 0.01

X[::10, 2] = np.nan  # missing lab values
HistGradientBoostingClassifier(max_iter=5).fit(X, y)  # accepted: NaNs go down a learned branch
try:
    LogisticRegression().fit(X, y); raise AssertionError("expected a ValueError")
except ValueError:
    pass
