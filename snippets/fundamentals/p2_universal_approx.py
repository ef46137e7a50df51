import numpy as np

x = np.linspace(-np.pi, np.pi, 500)              # a compact (closed, bounded) domain
target = np.sin(3 * x)

def fit_one_hidden_layer(width):
    # hidden unit i = ReLU(x - k_i), kinks spread over the domain;
    # output layer = least-squares weights (+ bias): a piecewise-linear fit
    knots = np.linspace(-np.pi, np.pi, width, endpoint=False)
    hidden = lambda t: np.column_stack([np.maximum(0, t[:, None] - knots), np.ones_like(t)])
    coef, *_ = np.linalg.lstsq(hidden(x), target, rcond=None)
    return lambda t: hidden(t) @ coef

widths = (4, 16, 64, 256)
errors = [np.abs(fit_one_hidden_layer(n)(x) - target).max() for n in widths]
assert all(a > b for a, b in zip(errors, errors[1:]))   # wider -> closer, uniformly
assert errors[-1] < 0.01

net = fit_one_hidden_layer(256)
outside = np.linspace(2 * np.pi, 3 * np.pi, 100)       # off the training domain
assert np.abs(net(outside) - np.sin(3 * outside)).max() > 1.0  # no guarantee here
print("max error on domain by width:", {n: float(f"{e:.2g}") for n, e in zip(widths, errors)})
