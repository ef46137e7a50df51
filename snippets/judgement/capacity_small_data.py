import numpy as np
from numpy.polynomial import polynomial as P

rng = np.random.default_rng(0)
def data(n):  # the truth is a straight line plus noise
    x = rng.uniform(-1, 1, n)
    return x, 2 * x + 1 + rng.normal(0, 0.3, n)

x_te, y_te = data(5000)
def mse(n_train, degree):  # returns (train MSE, test MSE)
    x, y = data(n_train)
    c = P.polyfit(x, y, degree)
    return np.mean((P.polyval(x, c) - y) ** 2), np.mean((P.polyval(x_te, c) - y_te) ** 2)

small, big = mse(12, 1), mse(12, 9)  # 12 training points: 2 vs 10 parameters
assert big[0] < small[0]              # the bigger model always fits the training set better
assert big[1] > 2 * small[1]          # ...but generalises worse
small_n, big_n = mse(5000, 1), mse(5000, 9)  # with plenty of data the gap closes
assert big_n[1] < 1.05 * small_n[1]
print(f"12 points: test MSE {small[1]:.3f} (degree 1) vs {big[1]:.3f} (degree 9)")
print(f"5000 points: test MSE {small_n[1]:.3f} vs {big_n[1]:.3f}")
