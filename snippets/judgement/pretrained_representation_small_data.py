import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression as LR

rng = np.random.default_rng(0)
mix = rng.normal(size=(5, 300))  # 5 hidden factors, 300 inputs
def sample(n):
    z = rng.normal(size=(n, 5))
    X = z @ mix + 10.0 * rng.normal(size=(n, 300))
    return X, (z[:, 0] > 0).astype(int)

# "pre-training": PCA on 2000 source records, labels unused
encoder = PCA(n_components=5, random_state=0).fit(sample(2000)[0])
X_te, y_te = sample(500)
def accuracy(f):  # mean over 10 training sets of 20 labels each
    fit = lambda X, y: LR(max_iter=1000).fit(f(X), y)
    runs = [fit(*sample(20)) for _ in range(10)]
    return np.mean([m.score(f(X_te), y_te) for m in runs])

raw, pre = accuracy(lambda X: X), accuracy(encoder.transform)
print(f"20 labels: raw {raw:.3f}, pre-trained features {pre:.3f}")
assert pre > raw + 0.05
