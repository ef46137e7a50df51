import numpy as np
from sklearn.linear_model import Lasso, Ridge
w = np.array([3.0, -2.0, 0.5])
assert np.abs(w).sum() == 5.5    # L1: sum of absolute values
assert (w**2).sum() == 13.25     # L2: sum of squares
assert abs(w.sum()) == 1.5       # "absolute value of the sum": no
w_cancel = np.array([5.0, -5.0]) # it lets huge weights cancel out
assert abs(w_cancel.sum()) == 0 and w_cancel.sum() ** 2 == 0
rng = np.random.default_rng(0)
X = rng.normal(size=(200, 10))   # only 2 of the 10 features matter
y = 3 * X[:, 0] - 2 * X[:, 1] + rng.normal(scale=0.5, size=200)
zeros_l1 = (Lasso(alpha=0.1).fit(X, y).coef_ == 0).sum()
zeros_l2 = (Ridge(alpha=10.0).fit(X, y).coef_ == 0).sum()
assert zeros_l1 >= 6   # L1: exact zeros = feature selection
assert zeros_l2 == 0   # L2: everything shrinks, nothing hits 0
print(f"exact zeros: lasso {zeros_l1}/10, ridge {zeros_l2}/10")
