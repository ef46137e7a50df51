import numpy as np
from scipy.stats import ks_2samp
from sklearn.linear_model import LogisticRegression
rng = np.random.default_rng(0)
def world(n, shift=0.0, w=(3.0, -2.0)):   # w: how inputs cause labels
    X = rng.normal(0, 1, (n, 2)) + [shift, 0.0]
    y = rng.random(n) < 1 / (1 + np.exp(-X @ np.array(w)))
    return X, y
X_ref, y_ref = world(5000)
model = LogisticRegression().fit(X_ref, y_ref)
def monitor(X, y):                # input alarm (min KS p), accuracy
    p = min(ks_2samp(X_ref[:, j], X[:, j]).pvalue for j in range(2))
    return p, model.score(X, y)
_, acc_ref = monitor(*world(5000))
p_cov, acc_cov = monitor(*world(5000, shift=1.0))   # covariate shift
p_con, acc_con = monitor(*world(5000, w=(3.0, 2.0)))  # concept drift
assert p_cov < 1e-6 and acc_cov > acc_ref - 0.01   # alarm, no harm
assert p_con > 0.01 and acc_con < acc_ref - 0.1    # harm, no alarm
print(f"accuracy {acc_ref:.2f} at launch; inputs shifted: KS alarm, "
      f"accuracy {acc_cov:.2f}; concept drift: no alarm, {acc_con:.2f}")
