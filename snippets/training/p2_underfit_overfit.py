import matplotlib.pyplot as plt
import numpy as np
from numpy.polynomial import Polynomial
rng = np.random.default_rng(0)
def sample(n):                       # noise sd 0.2, variance 0.04
    x = rng.uniform(0, 1, n)
    return x, np.sin(2 * np.pi * x) + rng.normal(0, 0.2, n)
(x_tr, y_tr), (x_va, y_va), res = sample(15), sample(500), {}
mse = lambda p, x, y: float(np.mean((p(x) - y) ** 2))
for degree in (1, 4, 14):
    p = Polynomial.fit(x_tr, y_tr, degree)
    res[degree] = (mse(p, x_tr, y_tr), mse(p, x_va, y_va))
(tr1, va1), (tr4, va4), (tr14, va14) = res.values()
assert tr1 > 0.1 and va1 > 0.1         # underfit: both high
assert va4 < 0.1 and va4 - tr4 < 0.05  # near noise floor, small gap
assert tr14 < 1e-6 and va14 > 1.0      # overfit: train ~0, val huge
print(f"train/val MSE: degree 1 {tr1:.3g}/{va1:.3g}, "
      f"degree 4 {tr4:.3g}/{va4:.3g}")  # degree 14's are round-off:
print("degree 14: train MSE < 1e-6 (interpolates), val MSE > 1")
fits = [Polynomial.fit(x_tr, y_tr, d) for d in range(1, 15)]
for x, y, name in ((x_tr, y_tr, "train"), (x_va, y_va, "validation")):
    err = [float(f"{max(mse(p, x, y), 1e-3):.3g}") for p in fits]
    plt.semilogy(range(1, 15), err, "o-", ms=3, label=name)
plt.xlabel("polynomial degree (capacity)"); plt.ylabel("MSE")
plt.legend(); plt.savefig("train_val_curves.svg")
