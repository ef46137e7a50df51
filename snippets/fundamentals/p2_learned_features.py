import numpy as np
from sklearn.datasets import make_circles
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

X, y = make_circles(n_samples=600, noise=0.05, factor=0.5, random_state=0)
X_tr, y_tr, X_te, y_te = X[:400], y[:400], X[400:], y[400:]
radius2 = lambda X: np.c_[X, (X ** 2).sum(1)]          # hand-made feature: x1^2 + x2^2

raw_linear = LogisticRegression().fit(X_tr, y_tr).score(X_te, y_te)
engineered = LogisticRegression().fit(radius2(X_tr), y_tr).score(radius2(X_te), y_te)
mlp = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=1000,
                    random_state=0).fit(X_tr, y_tr).score(X_te, y_te)

assert raw_linear < 0.7              # linear model on raw inputs: near chance
assert engineered > 0.97             # same model + one expert feature: solved
assert mlp > 0.97                    # hidden layer learns an equivalent feature itself
print(f"test accuracy: raw linear {raw_linear:.2f}, engineered {engineered:.2f}, MLP {mlp:.2f}")
