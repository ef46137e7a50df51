import numpy as np
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
rng = np.random.default_rng(0)
n_rec = rng.integers(1, 12, 300)            # records per patient
patient = np.repeat(np.arange(300), n_rec)
y = (rng.random(300) < 0.1)[patient]        # 10 % of patients positive
X = np.zeros((len(y), 1))
def folds(cv):  # positive rate of each test fold
    out = []
    for tr, te in cv.split(X, y, groups=patient):
        assert not set(patient[tr]) & set(patient[te])  # no sharing
        out.append(y[te].mean())
    return np.array(out)
grp = folds(GroupKFold(5))                  # groups only
sgk = folds(StratifiedGroupKFold(5, shuffle=True, random_state=0))
spread = lambda r: r.max() - r.min()
print(f"positive rate across test folds: GroupKFold "
      f"{grp.min():.3f}-{grp.max():.3f}, StratifiedGroupKFold "
      f"{sgk.min():.3f}-{sgk.max():.3f}")
assert spread(sgk) < spread(grp) / 2        # labels balanced too
