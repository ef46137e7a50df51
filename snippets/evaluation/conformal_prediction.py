import numpy as np
rng = np.random.default_rng(0)
K, alpha = 5, 0.1
def classifier_output(n, signal=1.5):    # softmax of a noisy model
    y = rng.integers(0, K, n)
    z = rng.normal(0, 1, (n, K))
    z[np.arange(n), y] += signal
    p = np.exp(z)
    return p / p.sum(1, keepdims=True), y
p_cal, y_cal = classifier_output(1000)   # held-out calibration set
score = 1 - p_cal[np.arange(1000), y_cal]   # nonconformity
level = np.ceil((1000 + 1) * (1 - alpha)) / 1000
q = np.quantile(score, level, method="higher")
def coverage(p, y):                      # set: labels with 1 - p <= q
    sets = 1 - p <= q
    return sets[np.arange(len(y)), y].mean(), sets.sum(1).mean()
p_te, y_te = classifier_output(20000)
cov, size = coverage(p_te, y_te)
top1 = (p_te.argmax(1) == y_te).mean()
assert 0.88 < cov < 0.93 and top1 < 0.75    # 90% from a weak model
p_sh, y_sh = classifier_output(20000, signal=0.8)   # not exchangeable
cov_shift, _ = coverage(p_sh, y_sh)
assert cov_shift < 0.85                       # the guarantee is gone
print(f"coverage {cov:.3f}, mean set size {size:.1f}, "
      f"top-1 {top1:.2f}; after shift {cov_shift:.2f}")
