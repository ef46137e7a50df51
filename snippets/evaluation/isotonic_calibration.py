import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
rng = np.random.default_rng(0)
def data(n):                    # a good ranker, badly calibrated
    risk = rng.beta(2, 5, n)
    return risk ** 3, rng.random(n) < risk      # score, label
s_cal, y_cal = data(2000)       # held-out calibration set
s_te, y_te = data(20000)
iso = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip")
p_iso = iso.fit(s_cal, y_cal).predict(s_te)
platt = LogisticRegression().fit(s_cal[:, None], y_cal)  # sigmoid fit
p_platt = platt.predict_proba(s_te[:, None])[:, 1]
b_raw, b_iso, b_platt = (brier_score_loss(y_te, p)
                         for p in (s_te, p_iso, p_platt))
assert b_iso < b_platt < b_raw     # flexible shape wins here
auc_raw, auc_iso = roc_auc_score(y_te, s_te), roc_auc_score(y_te, p_iso)
assert auc_raw - 0.01 < auc_iso <= auc_raw + 1e-9   # ranking kept
assert (np.diff(p_iso[np.argsort(s_te)]) >= 0).all()   # monotone
print(f"Brier: raw {b_raw:.3f}, Platt {b_platt:.3f}, isotonic "
      f"{b_iso:.3f}; AUC {auc_raw:.3f} -> {auc_iso:.3f}")
