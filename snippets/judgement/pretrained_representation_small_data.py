import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(0)
mix = rng.normal(size=(5, 300))  # 5 hidden factors drive 300 raw measurements

def sample(n):
    z = rng.normal(size=(n, 5))
    return z @ mix + 10.0 * rng.normal(size=(n, 300)), (z[:, 0] > 0).astype(int)

X_source, _ = sample(2000)  # large source set: its labels are never used
encoder = PCA(n_components=5, random_state=0).fit(X_source)  # stands in for pre-training
X_test, y_test = sample(500)

def accuracy(features, n=20):  # mean test accuracy over 10 small labelled training sets
    fit = lambda X, y: LogisticRegression(max_iter=1000).fit(features(X), y)
    return np.mean([fit(*sample(n)).score(features(X_test), y_test) for _ in range(10)])

raw, pre = accuracy(lambda X: X), accuracy(encoder.transform)
print(f"20 labels: raw features {raw:.3f}, pre-trained features {pre:.3f}")
assert pre > raw + 0.05
