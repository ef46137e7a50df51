import numpy as np

x = np.linspace(-np.pi, np.pi, 500)   # compact: closed, bounded
target = np.sin(3 * x)

def fit(width):  # one hidden layer of `width` ReLU units
    knots = np.linspace(-np.pi, np.pi, width, endpoint=False)
    def hidden(t):  # unit i = ReLU(t - k_i), plus a bias column
        h = np.maximum(0, t[:, None] - knots)
        return np.column_stack([h, np.ones_like(t)])
    # output weights by least squares: a piecewise-linear fit
    coef, *_ = np.linalg.lstsq(hidden(x), target, rcond=None)
    return lambda t: hidden(t) @ coef

widths = (4, 16, 64, 256)
errors = [np.abs(fit(n)(x) - target).max() for n in widths]
assert all(a > b for a, b in zip(errors, errors[1:]))  # wider: less
assert errors[-1] < 0.01
out = np.linspace(2 * np.pi, 3 * np.pi, 100)   # off the domain
assert np.abs(fit(256)(out) - np.sin(3 * out)).max() > 1  # way off
print("max error by width:",
      {n: float(f"{e:.2g}") for n, e in zip(widths, errors)})
