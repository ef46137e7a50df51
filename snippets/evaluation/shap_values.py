from itertools import combinations
from math import factorial
import numpy as np
rng = np.random.default_rng(0)
background = rng.normal(size=(500, 3))      # reference patients
background -= background.mean(0)            # centred: mean 0
def shap(f, x):  # exact Shapley; missing features from background
    n, phi = len(x), np.zeros(len(x))
    def v(S):    # expected output when only features in S are known
        Z = background.copy(); Z[:, list(S)] = x[list(S)]
        return f(Z).mean()
    for i in range(n):
        for k in range(n):
            for S in combinations([j for j in range(n) if j != i], k):
                w = factorial(k) * factorial(n - k - 1) / factorial(n)
                phi[i] += w * (v(S + (i,)) - v(S))
    return phi
x, w = np.array([1.0, 2.0, -1.0]), np.array([0.5, -1.0, 2.0])
assert np.allclose(shap(lambda Z: Z @ w, x), w * x)  # w_i (x_i - mean)
inter = lambda Z: Z[:, 0] * Z[:, 1]          # pure interaction
phi = shap(inter, x)
gap = inter(x[None])[0] - inter(background).mean()
assert np.isclose(phi.sum(), gap)           # efficiency: adds up
assert phi[2] == 0 and np.isclose(phi[0], phi[1])  # split equally
print("SHAP values for x0*x1 at x = (1, 2, -1):", np.round(phi, 2))
