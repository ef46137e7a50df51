import numpy as np
from sklearn.linear_model import Lasso, Ridge
w = np.array([3.0, -2.0, 0.5])
assert np.abs(w).sum() == 5.5 and (w**2).sum() == 13.25   # L1: sum of |w|, L2: sum of w^2
assert abs(w.sum()) == 1.5               # "absolute value of the sum": a different number
w_cancel = np.array([5.0, -5.0])         # ...which would not penalise huge weights at all
assert abs(w_cancel.sum()) == 0 and w_cancel.sum() ** 2 == 0
rng = np.random.default_rng(0)
X = rng.normal(size=(200, 10))
y = 3 * X[:, 0] - 2 * X[:, 1] + rng.normal(scale=0.5, size=200)  # 2 of 10 features matter
lasso = Lasso(alpha=0.1).fit(X, y)
ridge = Ridge(alpha=10.0).fit(X, y)
assert (lasso.coef_ == 0).sum() >= 6     # L1: exact zeros, i.e. feature selection
assert (ridge.coef_ == 0).sum() == 0     # L2: everything shrinks, nothing is exactly 0
print(f"exact zeros: lasso {(lasso.coef_ == 0).sum()}/10, ridge {(ridge.coef_ == 0).sum()}/10")
