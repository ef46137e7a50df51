import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split
rng = np.random.default_rng(0)
patient = np.repeat(np.arange(400), 5)           # 400 patients, 5 X-rays each
label = rng.integers(0, 2, 400)[patient]         # diagnosis belongs to the patient
# each image = the patient's "fingerprint" + noise; NO real disease signal at all
X = rng.normal(size=(400, 20))[patient] + 0.1 * rng.normal(size=(2000, 20))
def accuracy(tr, te):                            # 1-nearest-neighbour classifier
    d = (X[tr] ** 2).sum(1) - 2 * X[te] @ X[tr].T   # squared distance minus |x_te|^2
    return (label[tr][d.argmin(1)] == label[te]).mean()
leaky = accuracy(*train_test_split(np.arange(2000), test_size=0.2, random_state=0))  # by image
tr, te = next(GroupShuffleSplit(test_size=0.2, random_state=0).split(X, groups=patient))
assert not set(patient[tr]) & set(patient[te])   # by patient: no one on both sides
honest = accuracy(tr, te)
assert leaky > 0.95 and honest < 0.65            # leakage invents skill from nothing
print(f"image-level split {leaky:.2f}, patient-level split {honest:.2f}")
