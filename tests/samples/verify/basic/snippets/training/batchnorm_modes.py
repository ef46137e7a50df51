import numpy as np

x = np.arange(6.0).reshape(3, 2)
mu = x.mean(axis=0)
assert mu.tolist() == [2.0, 3.0]
print("mean:", mu)
