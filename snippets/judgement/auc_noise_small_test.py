import numpy as np

# 2000 records, 20 % held out: 400 test patients, 40 positive
rng = np.random.default_rng(0)
y = np.r_[np.ones(40), np.zeros(360)].astype(bool)
def auc(s):  # P(a random positive outranks a random negative)
    r = s.argsort().argsort() + 1
    return (r[y].sum() - 40 * 41 / 2) / (40 * 360)
# two correlated models (true AUC 0.80 each), 2000 fresh test sets
one, diff = [], []
for _ in range(2000):
    z = rng.normal(1.24 * y, 1)  # what both models pick up
    a, b = (auc(z + rng.normal(0, 0.3, 400)) for _ in "ab")
    one.append(a); diff.append(a - b)
sd, sd_diff, t = np.std(one), np.std(diff), 0.80
q1, q2 = t / (2 - t), 2 * t**2 / (1 + t)  # Hanley & McNeil (1982)
se = np.sqrt((t*(1-t) + 39*(q1-t*t) + 359*(q2-t*t)) / (40*360))
print(f"SD of one AUC {sd:.3f} (Hanley-McNeil {se:.3f}), "
      f"of the paired gap {sd_diff:.3f}")
assert abs(np.mean(one) - t) < 0.005 and sd < se < 1.25 * sd
assert sd > 0.02                 # one model's AUC is noisy ...
assert sd_diff < 0.5 * sd        # ... a paired comparison far less
