import numpy as np

def bubble(p, m):  # p stages, m micro-batches, unit-time steps
    end = np.zeros((p, m))
    for s in range(p):
        for j in range(m):  # needs stage s-1 done with j, and s free
            prev_stage = end[s - 1, j] if s else 0
            prev_mb = end[s, j - 1] if j else 0
            end[s, j] = max(prev_stage, prev_mb) + 1
    total = end[-1, -1]     # forward sweep length
    return 1 - m / total    # share of stage-time spent idle

for p, m in [(4, 1), (4, 4), (4, 16), (8, 32)]:
    b = bubble(p, m)
    assert np.isclose(b, (p - 1) / (m + p - 1))
    print(f"p={p} stages, m={m:>2} micro-batches: bubble {b:.0%}")
