import numpy as np
rng = np.random.default_rng(0)
X = rng.normal(size=(500, 6)) @ rng.normal(size=(6, 6))  # correlated
X -= X.mean(axis=0)
k = 2  # bottleneck width
E = rng.normal(size=(6, k))  # encoder weights; decoder D is k x 6
for _ in range(50):  # train: alternate exact least-squares updates
    D = np.linalg.lstsq(X @ E, X, rcond=None)[0]  # best decoder
    E = np.linalg.pinv(D)                         # best encoder
err_ae = ((X - X @ E @ D) ** 2).sum()
evals, evecs = np.linalg.eigh(X.T @ X)  # PCA
U = evecs[:, -k:]  # top-k principal directions
err_pca = ((X - X @ U @ U.T) ** 2).sum()
assert np.isclose(err_ae, err_pca, rtol=1e-6)  # same optimum ...
assert np.isclose(err_pca, evals[:-k].sum())  # = discarded variance
assert np.allclose(E @ D, U @ U.T, atol=1e-6)  # ... same subspace
# ... but the weights are some basis of it, not the PCs themselves
assert not np.allclose(E.T @ E, np.eye(k), atol=0.1)
print(f"reconstruction error: linear AE {err_ae:.0f}, "
      f"PCA {err_pca:.0f}")
