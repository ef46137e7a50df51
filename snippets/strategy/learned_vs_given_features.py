import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

rng = np.random.default_rng(0)
def data(n):  # 10 raw measurements; outcome: sign of x1 * x2
    x = rng.uniform(-1, 1, (n, 10))
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)

x_te, y_te = data(4000)
def learned(n):  # MLP on raw inputs: must discover the feature
    mlp = MLPClassifier((32,), solver="lbfgs", max_iter=500,
                        random_state=0)
    return mlp.fit(*data(n)).score(x_te, y_te)

def given(n):  # scoring form: expert gives x1*x2, fit one weight
    f = lambda x: x[:, :1] * x[:, 1:2]
    x, y = data(n)
    lr = LogisticRegression(C=100).fit(f(x), y)
    return lr.score(f(x_te), y_te)

told, few, many = given(30), learned(30), learned(1000)
print(f"given: {told:.2f}; learned: {few:.2f}, {many:.2f} (1000)")
assert told > few + 0.15 and many > few + 0.15
assert many > told - 0.05  # with enough data it catches up
