import numpy as np
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, 40)                        # training inputs
y = np.sin(3 * x) + rng.normal(0, 0.1, 40)
def member(seed):  # one net: random ReLU layer + fitted output layer
    r = np.random.default_rng(seed)
    w, b = r.normal(0, 3, 100), r.normal(0, 3, 100)
    feats = lambda t: np.maximum(0, np.outer(t, w) + b)
    A = feats(x)
    v = np.linalg.solve(A.T @ A + 1e-2 * np.eye(100), A.T @ y)
    return lambda t: feats(t) @ v
nets = [member(s) for s in range(5)]              # 5 random inits
grid_in, grid_out = np.linspace(-1, 1, 50), np.linspace(2, 3, 50)
pred_in = np.array([f(grid_in) for f in nets])
pred_out = np.array([f(grid_out) for f in nets])
err = lambda p: np.mean((p - np.sin(3 * grid_in)) ** 2)
spread_in = pred_in.std(0).mean()
spread_out = pred_out.std(0).mean()
print(f"disagreement between members: in range {spread_in:.2g}, "
      f"outside {spread_out:.2g}")
assert spread_out > 10 * spread_in      # they disagree off the data
assert err(pred_in.mean(0)) <= np.mean([err(p) for p in pred_in])
