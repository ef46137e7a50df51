import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import roc_curve
rng = np.random.default_rng(0)   # calibrated risks, ~14% prevalence:
cohort = lambda risk: (risk, rng.uniform(size=risk.size) < risk)
risk_va, y_va = cohort(rng.beta(1, 6, 20_000))  # pick threshold here
risk_te, y_te = cohort(rng.beta(1, 6, 20_000))  # ...report it here
sensitivity = lambda t: ((risk_te >= t) & y_te).sum() / y_te.sum()
assert sensitivity(0.5) < 0.3          # 0.5 misses most cases
_, tpr, thr = roc_curve(y_va, risk_va)  # thresholds decreasing
t90 = thr[np.argmax(tpr >= 0.90)]  # highest with 90% sensitivity
sens = sensitivity(t90)
assert abs(sens - 0.90) < 0.02     # roughly holds on new patients
flag = risk_te >= t90; ppv = (flag & y_te).sum() / flag.sum()
pi, spec = y_te.mean(), (~flag & ~y_te).sum() / (~y_te).sum()
assert np.isclose(ppv, sens*pi / (sens*pi + (1 - spec) * (1 - pi)))
print(f"threshold {t90:.3f}: sensitivity {sens:.2f}, "
      f"PPV {ppv:.2f}, {100 * flag.mean():.0f} alerts per 100")
ts = np.linspace(0.01, 0.6, 60)    # a missed case costs 10 alarms
f, pos = risk_va[:, None] >= ts, y_va[:, None]
cost = (10 * (~f & pos) + (f & ~pos)).mean(0)  # per patient
assert abs(ts[cost.argmin()] - 1 / 11) < 0.03  # = 1 / (1 + 10)
plt.plot(ts, cost); plt.axvline(1 / 11, color="C1", ls="--")
plt.xlabel("threshold (dashed: 1/(1+10))"); plt.ylabel("cost")
plt.savefig("cost_curve.svg")
