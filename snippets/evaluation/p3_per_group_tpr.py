import numpy as np
rng = np.random.default_rng(0)
n = 40_000
group_b = rng.random(n) < 0.2      # minority group: 20% of patients
y = rng.random(n) < 0.1            # same prevalence in both groups
signal = np.where(group_b, 0.8, 2.5)  # disease harder to see in B
score = y * signal + rng.normal(size=n)
pred = score > 1.25                # one threshold for everyone
def rates(m):                      # (TPR, FPR) within subgroup m
    return pred[m & y].mean(), pred[m & ~y].mean()
tpr_all, _ = rates(np.ones(n, bool))
(tpr_a, fpr_a), (tpr_b, fpr_b) = rates(~group_b), rates(group_b)
assert tpr_all > 0.7               # the pooled number looks fine...
assert tpr_a - tpr_b > 0.4         # ...but B misses far more
assert abs(fpr_a - fpr_b) < 0.02   # at the same false-alarm rate
print(f"TPR: all {tpr_all:.2f}, A {tpr_a:.2f}, B {tpr_b:.2f}; "
      f"FPR: A {fpr_a:.2f}, B {fpr_b:.2f}")
