from statistics import NormalDist

import numpy as np

rng = np.random.default_rng(0)
n = 20_000                                    # admissions; 5 % develop sepsis
y = rng.random(n) < 0.05

def alerts(auc, k):                           # binormal risk score with this AUC; alert top k
    score = rng.normal(np.sqrt(2) * NormalDist().inv_cdf(auc) * y, 1.0)
    alert = np.zeros(n, bool)
    alert[np.argsort(-score)[:k]] = True
    return alert

def net_benefit(alert, pt):                   # Vickers & Elkin: TP/n - FP/n * pt / (1 - pt)
    return ((alert & y).sum() - (alert & ~y).sum() * pt / (1 - pt)) / n

many, few, weak_few = alerts(0.85, 4000), alerts(0.85, 200), alerts(0.72, 200)
print(f"AUC 0.85: PPV {y[many].mean():.2f} with 4000 alerts, {y[few].mean():.2f} with 200")
assert y[few].mean() > 2 * y[many].mean()     # one ranking quality, threshold sets the PPV
assert y[few].mean() > y[weak_few].mean()     # same alert budget: better AUC, better PPV
pt = 0.2                                      # "an alert is worth it if risk >= 20 %"
assert net_benefit(np.zeros(n, bool), pt) == 0                # alert nobody
assert np.isclose(net_benefit(np.ones(n, bool), pt), y.mean() - (1 - y.mean()) * pt / (1 - pt))
assert net_benefit(many, pt) < 0 < net_benefit(few, pt)       # flooding the ward does harm
