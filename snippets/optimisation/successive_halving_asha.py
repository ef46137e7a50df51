import numpy as np
rng = np.random.default_rng(0)
n, eta, R = 27, 3, 27                  # 27 configs, keep 1/3, 27 epochs
final = rng.uniform(0.2, 2.0, n)       # loss after R epochs
slope = rng.uniform(0.0, 0.3, n)
final[0], slope[0] = 0.1, 4.0          # a slow starter, truly best
def loss(c, t):                        # learning curves, falling in t
    return final[c] + slope[c] * (1 - t / R)
alive, spent, t = list(range(n)), 0, 1
while True:
    spent += len(alive) * t            # train each survivor t epochs
    if len(alive) == 1:
        break
    alive = sorted(alive, key=lambda c: loss(c, t))[:len(alive) // eta]
    t *= eta
winner = alive[0]
others = np.argsort(final[1:]) + 1
assert winner in others[:3]          # near-best of the rest...
assert spent == 4 * n and spent < n * R / 6   # ...at 108 vs 729 epochs
assert 0 not in sorted(range(n), key=lambda c: loss(c, 1))[:9]
print(f"winner {final[winner]:.2f} (best {final.min():.2f}), "
      f"{spent} of {n * R} epochs")
