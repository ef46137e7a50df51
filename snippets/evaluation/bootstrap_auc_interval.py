import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score
rng = np.random.default_rng(0)
P, k, B = 120, 4, 500   # patients, images each, resamples
y_pat = rng.random(P) < 0.3
s_pat = y_pat + rng.normal(0, 1, P)     # images of a patient look alike
y = np.repeat(y_pat, k)
s = np.repeat(s_pat, k) + rng.normal(0, 0.3, P * k)
def auc(y, s):           # Mann-Whitney; one row per resample
    n1 = y.sum(-1)
    ranks = (rankdata(s, axis=-1) * y).sum(-1)
    return (ranks - n1 * (n1 + 1) / 2) / (n1 * (y.shape[-1] - n1))
assert np.isclose(auc(y, s), roc_auc_score(y, s))
rows = rng.integers(0, P * k, (B, P * k))        # resample images
pats = rng.integers(0, P, (B, P))                # resample patients
rows_p = (pats[:, :, None] * k + np.arange(k)).reshape(B, -1)
ci_img = np.percentile(auc(y[rows], s[rows]), [2.5, 97.5])
ci_pat = np.percentile(auc(y[rows_p], s[rows_p]), [2.5, 97.5])
w_img, w_pat = np.diff(ci_img)[0], np.diff(ci_pat)[0]
assert ci_pat[0] < auc(y, s) < ci_pat[1] and w_pat > 1.5 * w_img
print(f"AUC {auc(y, s):.2f}; 95% CI by patient "
      f"{ci_pat[0]:.2f}-{ci_pat[1]:.2f}, "
      f"{w_pat / w_img:.1f}x wider than by image")
