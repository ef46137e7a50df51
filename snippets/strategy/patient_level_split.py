import numpy as np
from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit
from sklearn.neighbors import KNeighborsClassifier

rng = np.random.default_rng(0)
pid = np.repeat(np.arange(300), 4)  # 300 patients, 4 records each
sig = rng.normal(size=(300, 6))     # stable per-patient values
X = sig[pid] + 0.1 * rng.normal(size=(1200, 6))
y = rng.integers(0, 2, 300)[pid]    # outcome unrelated to X

def held_out(split, **groups):  # (accuracy, patients on both sides)
    tr, te = next(split.split(X, y, **groups))
    knn = KNeighborsClassifier(1).fit(X[tr], y[tr])
    shared = np.intersect1d(pid[tr], pid[te]).size
    return knn.score(X[te], y[te]), shared

row = held_out(ShuffleSplit(1, test_size=0.25, random_state=0))
pat = held_out(GroupShuffleSplit(1, test_size=0.25, random_state=0),
               groups=pid)
print(f"accuracy: record split {row[0]:.2f}, patient {pat[0]:.2f}")
assert row[1] > 0 and pat[1] == 0
assert row[0] > 0.9 and abs(pat[0] - 0.5) < 0.1  # leakage = fake
