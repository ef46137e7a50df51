import numpy as np
from sklearn.model_selection import GroupShuffleSplit as GSS
from sklearn.model_selection import train_test_split
rng = np.random.default_rng(0)
patient = np.repeat(np.arange(400), 5)  # 400 patients x 5 X-rays
label = rng.integers(0, 2, 400)[patient]  # diagnosis per patient
# image = patient "fingerprint" + noise; NO disease signal at all
X = rng.normal(size=(400, 20))[patient]
X += 0.1 * rng.normal(size=X.shape)
def accuracy(tr, te):               # 1-nearest-neighbour classifier
    d = (X[tr] ** 2).sum(1) - 2 * X[te] @ X[tr].T
    return (label[tr][d.argmin(1)] == label[te]).mean()
idx = np.arange(len(X))
leaky = accuracy(*train_test_split(idx, test_size=0.2,
                                   random_state=0))  # by image
tr, te = next(GSS(test_size=0.2, random_state=0).split(
    X, groups=patient))                              # by patient
assert not set(patient[tr]) & set(patient[te])
honest = accuracy(tr, te)
assert leaky > 0.95 and honest < 0.65  # leakage invents skill
print(f"split by image {leaky:.2f}, by patient {honest:.2f}")
