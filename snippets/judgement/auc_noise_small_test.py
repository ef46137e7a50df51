import numpy as np

# 2000 records, 20 % held out: 400 test patients, 40 of them positive.
rng = np.random.default_rng(0)
n_pos, n_neg = 40, 360
y = np.r_[np.ones(n_pos), np.zeros(n_neg)]

def auc(y, s):  # Mann-Whitney form: P(a random positive outranks a random negative)
    r = s.argsort().argsort() + 1
    p = y == 1
    return (r[p].sum() - p.sum() * (p.sum() + 1) / 2) / (p.sum() * (~p).sum())

def test_set_auc():  # one fixed model, a fresh draw of 400 test patients (true AUC = 0.80)
    return auc(y, np.r_[rng.normal(1.19, 1, n_pos), rng.normal(0, 1, n_neg)])

aucs = np.array([test_set_auc() for _ in range(2000)])
a = 0.80  # Hanley & McNeil (1982) standard error for this AUC and these counts
q1, q2 = a / (2 - a), 2 * a**2 / (1 + a)
se = np.sqrt((a * (1 - a) + (n_pos - 1) * (q1 - a**2) + (n_neg - 1) * (q2 - a**2)) / (n_pos * n_neg))
print(f"mean AUC {aucs.mean():.3f}, SD over test sets {aucs.std():.3f}, Hanley-McNeil SE {se:.3f}")
print(f"middle 95% of test-set AUCs: {np.percentile(aucs, 2.5):.3f} to {np.percentile(aucs, 97.5):.3f}")
assert abs(aucs.mean() - 0.80) < 0.005
assert aucs.std() < se < 1.25 * aucs.std()  # the formula is close, slightly conservative
assert aucs.std() > 0.02                 # a 1-2 point AUC gap is inside one SD of pure noise
