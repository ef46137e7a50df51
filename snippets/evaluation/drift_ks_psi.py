import numpy as np
from scipy.stats import ks_2samp
rng = np.random.default_rng(0)
ref = rng.normal(0, 1, 20000)                 # training-time feature
def psi(ref, cur, bins=10):                   # bins: reference deciles
    edges = np.quantile(ref, np.linspace(0, 1, bins + 1))
    edges[[0, -1]] = -np.inf, np.inf
    e = np.histogram(ref, edges)[0] / len(ref)
    a = np.histogram(cur, edges)[0] / len(cur)
    e, a = np.clip(e, 1e-6, None), np.clip(a, 1e-6, None)
    return np.sum((a - e) * np.log(a / e))    # symmetric KL over bins
tiny = rng.normal(0.07, 1, 20000)             # shift of 0.07 SD
big = rng.normal(0.5, 1, 20000)               # shift of 0.5 SD
p_tiny = ks_2samp(ref, tiny).pvalue
assert p_tiny < 1e-3                          # "significant" drift...
assert psi(ref, tiny) < 0.01                  # ...of negligible size
assert psi(ref, big) > 0.2                    # a real shift
few = rng.normal(0.5, 1, (200, 12))  # same shift, 200 batches of 12
power = (ks_2samp(ref[:1000], few, axis=1).pvalue < 0.05).mean()
assert power < 0.5                            # usually missed
print(f"0.07 SD: KS p {p_tiny:.0e}, PSI {psi(ref, tiny):.3f}")
print(f"0.5 SD: PSI {psi(ref, big):.2f}, KS power at n=12 {power:.0%}")
