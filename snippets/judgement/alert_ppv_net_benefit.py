from statistics import NormalDist

import numpy as np

rng = np.random.default_rng(0)
n = 20_000                       # admissions; 5 % develop sepsis
y = rng.random(n) < 0.05

def alerts(auc, k):  # binormal score with this AUC; alert on top k
    d = np.sqrt(2) * NormalDist().inv_cdf(auc)
    return np.isin(np.arange(n), np.argsort(-rng.normal(d * y))[:k])

def net_benefit(alert, pt):  # Vickers & Elkin (2006)
    tp, fp = (alert & y).sum(), (alert & ~y).sum()
    return (tp - fp * pt / (1 - pt)) / n

flood, few = alerts(0.85, 4000), alerts(0.85, 200)
weak = alerts(0.72, 200)
ppv = y[flood].mean(), y[few].mean()
print(f"PPV {ppv[0]:.2f} with 4000 alerts, {ppv[1]:.2f} with 200")
assert ppv[1] > 2 * ppv[0]  # same AUC: the threshold sets the PPV
assert ppv[1] > y[weak].mean()  # same budget: higher AUC wins
everyone = net_benefit(np.ones(n, bool), 0.2)
assert np.isclose(everyone, y.mean() - (1 - y.mean()) / 4)
assert net_benefit(flood, 0.2) < 0 < net_benefit(few, 0.2)
