import numpy as np
from sklearn.ensemble import GradientBoostingClassifier as GB
from sklearn.ensemble import HistGradientBoostingClassifier as HGB
from sklearn.linear_model import LogisticRegression as LR

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 4))
y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
Xs = X * 2.0 ** np.array([-6, 0, 3, 6])  # new units, exact
proba = lambda model, X: model.fit(X, y).predict_proba(X)

gb = lambda: GB(n_estimators=10, random_state=0)
assert np.array_equal(proba(gb(), X), proba(gb(), Xs))  # same
change = np.abs(proba(LR(), X) - proba(LR(max_iter=1000), Xs)).max()
assert change > 0.01  # penalised linear model: standardise first
X[::10, 2] = np.nan        # missing lab values
HGB(max_iter=5).fit(X, y)  # NaNs are sent down a learned branch
try:
    LR().fit(X, y); raise AssertionError("expected ValueError")
except ValueError:
    pass
