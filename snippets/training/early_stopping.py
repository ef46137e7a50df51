import numpy as np
rng = np.random.default_rng(0)
w_true = np.r_[np.ones(5), np.zeros(95)]    # 100 features, 5 matter
def data(n):
    X = rng.normal(size=(n, 100))
    return X, X @ w_true + rng.normal(0, 1.5, n)
(Xtr, ytr), (Xva, yva) = data(90), data(500)  # about as many as rows
mse = lambda w, X, y: np.mean((X @ w - y) ** 2)
def step(w):                                  # one GD step, lr 0.05
    return w - 0.05 * 2 * Xtr.T @ (Xtr @ w - ytr) / 90
w, best, wait, patience = np.zeros(100), np.inf, 0, 10
for ep in range(3000):
    w = step(w)
    if mse(w, Xva, yva) < best:               # improved: checkpoint
        best, best_w, best_ep, wait = mse(w, Xva, yva), w, ep, 0
    elif (wait := wait + 1) >= patience:      # no gain for 10: stop
        break
w, long = best_w, np.zeros(100)        # restore the best; a rival run
for _ in range(3000):                         # never stopping
    long = step(long)
end = mse(long, Xva, yva)
print(f"early stop: val MSE {best:.1f} (best at step {best_ep}); "
      f"3000 steps: {end:.1f}")
assert ep == best_ep + patience and end > 3 * best
assert mse(long, Xtr, ytr) < mse(w, Xtr, ytr)  # train loss kept falling
