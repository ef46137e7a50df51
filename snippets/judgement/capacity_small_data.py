import numpy as np
from numpy.polynomial import polynomial as P

rng = np.random.default_rng(0)
def data(n):  # the truth: a straight line plus noise
    x = rng.uniform(-1, 1, n)
    return x, 2 * x + 1 + rng.normal(0, 0.3, n)

x_te, y_te = data(5000)
def mse(n_train, degree):  # returns (train MSE, test MSE)
    x, y = data(n_train)
    c = P.polyfit(x, y, degree)
    err = lambda x, y: np.mean((P.polyval(x, c) - y) ** 2)
    return err(x, y), err(x_te, y_te)

line, poly = mse(12, 1), mse(12, 9)  # 12 points: 2 vs 10 weights
assert poly[0] < line[0]      # bigger model: better training fit
assert poly[1] > 2 * line[1]  # ...and is at least 2x worse on test
assert mse(5000, 9)[1] < 1.05 * mse(5000, 1)[1]  # data closes it
print(f"12-point test MSE: line {line[1]:.3f}, poly {poly[1]:.0f}")
