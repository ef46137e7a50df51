import numpy as np
rng = np.random.default_rng(0)
# score depends mostly on x (say log lr), hardly on y; optimum unknown
def score(x, y, best_x):
    return -(x - best_x) ** 2 - 0.01 * (y - 0.5) ** 2
best_x = rng.uniform(0, 1, (2000, 1))       # 2000 imagined problems
g = np.linspace(0, 1, 3)
gx, gy = [a.ravel() for a in np.meshgrid(g, g)]  # 3x3 grid, 9 runs
rx, ry = rng.uniform(0, 1, (2, 2000, 9))          # 9 random runs
grid_regret = -score(gx, gy, best_x).max(1)
rand_regret = -score(rx, ry, best_x).max(1)
assert len(set(gx)) == 3                    # grid: 3 distinct x values
assert rand_regret.mean() < grid_regret.mean() / 2
# a learning rate is searched on a log scale: log-uniform sampling
lr = 10 ** rng.uniform(-5, -1, 10000)
frac = (lr < 1e-3).mean()   # two of four decades below 1e-3
assert 0.48 < frac < 0.52
print(f"mean regret with 9 runs: grid {grid_regret.mean():.4f}, "
      f"random {rand_regret.mean():.4f}")
