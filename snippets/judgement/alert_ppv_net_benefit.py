from statistics import NormalDist
import numpy as np
rng, n = np.random.default_rng(0), 20_000  # admissions
y = rng.random(n) < 0.05                   # 5 % develop sepsis
def scores(auc):  # binormal scores with this AUC
    d = np.sqrt(2) * NormalDist().inv_cdf(auc)
    return d, rng.normal(d * y)
def top(s, k):  # alert on the k highest scores
    return np.isin(np.arange(n), np.argsort(-s)[:k])
def net_benefit(alert, pt):  # Vickers & Elkin (2006)
    tp, fp = (alert & y).sum(), (alert & ~y).sum()
    return (tp - fp * pt / (1 - pt)) / n
d, s = scores(0.85)
flood, few, weak = top(s, 4000), top(s, 200), top(scores(0.72)[1], 200)
ppv = y[flood].mean(), y[few].mean()
print(f"PPV {ppv[0]:.2f} with 4000 alerts, {ppv[1]:.2f} with 200")
assert ppv[1] > 2 * ppv[0]      # same AUC: the threshold sets PPV
assert ppv[1] > y[weak].mean()  # same budget: higher AUC wins
assert net_benefit(flood, 0.2) < 0 < net_benefit(few, 0.2)
def cost(r, t):  # a missed case costs as much as 4 false alarms
    return ((r > t) & ~y).sum() + 4 * ((r <= t) & y).sum()
risk = 1 / (1 + 19 * np.exp(d * d / 2 - d * s))  # calibrated (Bayes)
grid = np.arange(0.05, 0.96, 0.05)
assert abs(grid[np.argmin([cost(risk, t) for t in grid])] - 0.2) < .06
assert cost(risk ** 0.3, 0.2) > 1.5 * cost(risk, 0.2)  # inflated p
