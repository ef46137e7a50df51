import numpy as np

x = np.linspace(-np.pi, np.pi, 500)   # a compact (closed, bounded) domain
target = np.sin(3 * x)

def fit_one_hidden_layer(width):
    # hidden unit i = ReLU(x - k_i), kinks spread over the domain;
    # output weights (+ bias) by least squares: a piecewise-linear fit
    knots = np.linspace(-np.pi, np.pi, width, endpoint=False)
    def hidden(t):
        h = np.maximum(0, t[:, None] - knots)
        return np.column_stack([h, np.ones_like(t)])
    coef, *_ = np.linalg.lstsq(hidden(x), target, rcond=None)
    return lambda t: hidden(t) @ coef

widths = (4, 16, 64, 256)
errors = [np.abs(fit_one_hidden_layer(n)(x) - target).max()
          for n in widths]
assert all(a > b for a, b in zip(errors, errors[1:]))  # wider: closer
assert errors[-1] < 0.01

net = fit_one_hidden_layer(256)
out = np.linspace(2 * np.pi, 3 * np.pi, 100)   # off the domain
assert np.abs(net(out) - np.sin(3 * out)).max() > 1.0  # no guarantee
print("max error by width:",
      {n: float(f"{e:.2g}") for n, e in zip(widths, errors)})
