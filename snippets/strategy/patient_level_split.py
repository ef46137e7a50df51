import numpy as np
from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit
from sklearn.neighbors import KNeighborsClassifier

rng = np.random.default_rng(0)
n_patients, visits = 300, 4
pid = np.repeat(np.arange(n_patients), visits)           # 4 records per patient
signature = rng.normal(size=(n_patients, 6))             # stable per-patient values
X = signature[pid] + 0.1 * rng.normal(size=(len(pid), 6))
y = rng.integers(0, 2, n_patients)[pid]                  # outcome unrelated to X: nothing to learn

def held_out_accuracy(splitter, **groups):
    train, test = next(splitter.split(X, y, **groups))
    shared = np.intersect1d(pid[train], pid[test]).size
    return KNeighborsClassifier(1).fit(X[train], y[train]).score(X[test], y[test]), shared

row_acc, row_shared = held_out_accuracy(ShuffleSplit(1, test_size=0.25, random_state=0))
pat_acc, pat_shared = held_out_accuracy(GroupShuffleSplit(1, test_size=0.25, random_state=0), groups=pid)
print(f"record-level split: accuracy {row_acc:.2f}, {row_shared} patients on both sides")
print(f"patient-level split: accuracy {pat_acc:.2f}, {pat_shared} patients on both sides")
assert pat_shared == 0 and row_shared > 0
assert row_acc > 0.9 and abs(pat_acc - 0.5) < 0.1       # leakage fakes skill; chance is 0.5
