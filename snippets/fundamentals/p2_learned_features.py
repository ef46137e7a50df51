import numpy as np
from sklearn.datasets import make_circles
from sklearn.linear_model import LogisticRegression as LR
from sklearn.neural_network import MLPClassifier

X, y = make_circles(n_samples=600, noise=0.05, factor=0.5,
                    random_state=0)
X_tr, y_tr, X_te, y_te = X[:400], y[:400], X[400:], y[400:]
# hand-made feature: squared radius x1^2 + x2^2
r2 = lambda X: np.c_[X, (X ** 2).sum(1)]

raw = LR().fit(X_tr, y_tr).score(X_te, y_te)
engineered = LR().fit(r2(X_tr), y_tr).score(r2(X_te), y_te)
mlp = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
                    max_iter=1000, random_state=0)
learned = mlp.fit(X_tr, y_tr).score(X_te, y_te)

assert raw < 0.7          # linear model on raw inputs: near chance
assert engineered > 0.97  # same model + one expert feature: solved
assert learned > 0.97     # the hidden layer finds such a feature itself
print(f"test accuracy: raw {raw:.2f}, engineered {engineered:.2f}, "
      f"MLP {learned:.2f}")
