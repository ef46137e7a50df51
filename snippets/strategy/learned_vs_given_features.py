import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

rng = np.random.default_rng(0)
def data(n):  # 10 raw measurements; the outcome depends on an interaction of the first two
    x = rng.uniform(-1, 1, (n, 10))
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)

x_te, y_te = data(4000)
def learned(n):  # small MLP on the raw measurements: it must discover the feature itself
    mlp = MLPClassifier((32,), solver="lbfgs", max_iter=500, random_state=0)
    return mlp.fit(*data(n)).score(x_te, y_te)

def given(n):  # "scoring form": the expert supplies x1 * x2, the model fits one weight
    feature = lambda x: x[:, :1] * x[:, 1:2]
    x, y = data(n)
    return LogisticRegression(C=100).fit(feature(x), y).score(feature(x_te), y_te)

told, small, big = given(30), learned(30), learned(1000)
print(f"30 examples: given feature {told:.3f}, learned {small:.3f}; 1000 examples: learned {big:.3f}")
assert told > small + 0.15 and big > small + 0.15  # few examples: the given feature wins
assert big > told - 0.05                           # enough examples: learned features catch up
