import numpy as np
rng = np.random.default_rng(0)
w_true = np.r_[np.ones(5), np.zeros(95)]      # 100 inputs, 5 matter
def data(n):
    X = rng.normal(size=(n, 100))
    return X, X @ w_true + rng.normal(0, 1.5, n)
(Xtr, ytr), (Xte, yte) = data(90), data(500)  # big model, little data
mse = lambda w, X, y: np.mean((X @ w - y) ** 2)
w, train, test, bug = np.zeros(100), [], [], []
for step in range(400):
    w -= 0.05 * 2 * Xtr.T @ (Xtr @ w - ytr) / 90
    train.append(mse(w, Xtr, ytr)); test.append(mse(w, Xte, yte))
    bug.append(mse(w, 3 * Xte + 1, yte))      # test path unscaled
best = int(np.argmin(test))
assert all(a > b for a, b in zip(train, train[1:]))  # train falls
assert 0 < best < 50 and test[-1] > 2 * test[best]  # test: U-shape
assert bug[best] > 2 * test[best]     # a bug: a gap from early on
print(f"overfitting: test loss best at step {best}, then "
      f"{test[-1] / test[best]:.1f}x worse; unscaled test path: "
      f"{bug[best] / test[best]:.0f}x worse already at step {best}")
