import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split

rng = np.random.default_rng(0)
n_pat, per = 400, 5                              # 400 patients, 5 X-rays each
patient = np.repeat(np.arange(n_pat), per)
label = rng.integers(0, 2, n_pat)[patient]       # diagnosis belongs to the patient
# each image = the patient's "fingerprint" + noise; NO real disease signal at all
X = rng.normal(size=(n_pat, 20))[patient] + 0.1 * rng.normal(size=(n_pat * per, 20))

def accuracy(tr, te):                            # 1-nearest-neighbour classifier
    a, b = X[tr], X[te]
    d = (b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None, :]
    return (label[tr][d.argmin(1)] == label[te]).mean()

idx = np.arange(len(X))
tr, te = train_test_split(idx, test_size=0.2, random_state=0)       # split by image
assert set(patient[tr]) & set(patient[te])       # the same patients on both sides
leaky = accuracy(tr, te)
tr, te = next(GroupShuffleSplit(test_size=0.2, random_state=0).split(X, groups=patient))
assert not set(patient[tr]) & set(patient[te])   # split by patient
honest = accuracy(tr, te)
assert leaky > 0.95 and honest < 0.65            # leakage invents skill from nothing
print(f"image-level split {leaky:.2f}, patient-level split {honest:.2f}")
