import numpy as np

# 2000 records, 20 % held out: 400 test patients, 40 positive
rng = np.random.default_rng(0)
y = np.r_[np.ones(40), np.zeros(360)].astype(bool)

def auc(s):  # P(a random positive outranks a random negative)
    r = s.argsort().argsort() + 1
    return (r[y].sum() - 40 * 41 / 2) / (40 * 360)

# one fixed model (true AUC 0.80), 2000 fresh draws of the test set
aucs = [auc(rng.normal(1.19 * y, 1)) for _ in range(2000)]
sd, a = np.std(aucs), 0.80
q1, q2 = a / (2 - a), 2 * a**2 / (1 + a)  # Hanley & McNeil (1982)
se = np.sqrt((a*(1-a) + 39*(q1-a*a) + 359*(q2-a*a)) / (40*360))
print(f"SD over test sets {sd:.3f}, Hanley-McNeil SE {se:.3f}")
assert abs(np.mean(aucs) - a) < 0.005
assert sd < se < 1.25 * sd  # close, slightly conservative
assert sd > 0.02  # a 1-2 point AUC gap is inside one SD of noise
