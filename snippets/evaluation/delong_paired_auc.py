import numpy as np
from scipy.stats import norm
rng = np.random.default_rng(0)
n, B = 400, 300
y = rng.random(n) < 0.3
base = y + rng.normal(0, 1, n)            # what both models pick up
a = base + rng.normal(0, 0.4, n)          # model A
b = base + 0.2 * y + rng.normal(0, 0.4, n)  # model B, a bit better
def placements(s):   # DeLong: per-positive and per-negative AUC parts
    psi = (s[y][:, None] > s[~y]) + 0.5 * (s[y][:, None] == s[~y])
    return psi.mean(1), psi.mean(0), psi.mean()
(v10a, v01a, auc_a), (v10b, v01b, auc_b) = map(placements, (a, b))
S = np.cov([v10a, v10b]) / y.sum() + np.cov([v01a, v01b]) / (~y).sum()
se_diff = np.sqrt(S[0, 0] + S[1, 1] - 2 * S[0, 1])   # paired
se_unpaired = np.sqrt(S[0, 0] + S[1, 1])            # ignores overlap
diffs = []                     # paired bootstrap, same patients
for idx in rng.integers(0, n, (B, n)):
    y_, a_, b_ = y[idx], a[idx], b[idx]
    pa, pb = (np.mean(s[y_][:, None] > s[~y_]) for s in (a_, b_))
    diffs.append(pb - pa)
assert 0.8 < np.std(diffs) / se_diff < 1.25   # DeLong ~ bootstrap
assert se_diff < 0.6 * se_unpaired            # pairing sharpens it
p = 2 * norm.sf(abs(auc_b - auc_a) / se_diff)
print(f"AUC B - A = {auc_b - auc_a:.3f}, paired SE {se_diff:.3f} "
      f"(unpaired {se_unpaired:.3f}), p = {p:.2g}")
