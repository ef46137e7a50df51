import numpy as np
rng = np.random.default_rng(0)
N, size = 4, 12  # 4 workers, a 12-value gradient each
grads = [rng.normal(size=size) for _ in range(N)]
chunks = [np.array_split(g.copy(), N) for g in grads]  # N chunks each
sent = np.zeros(N)
# reduce-scatter: N-1 steps; worker i passes one chunk to i+1
for step in range(N - 1):
    msgs = [(i, (i - step) % N, chunks[i][(i - step) % N].copy())
            for i in range(N)]
    for i, c, data in msgs:
        chunks[(i + 1) % N][c] += data
        sent[i] += data.size
for step in range(N - 1):  # all-gather: pass the summed chunks on
    msgs = [(i, (i + 1 - step) % N) for i in range(N)]
    msgs = [(i, c, chunks[i][c].copy()) for i, c in msgs]
    for i, c, data in msgs:
        chunks[(i + 1) % N][c] = data
        sent[i] += data.size
total = np.sum(grads, axis=0)
assert all(np.allclose(np.concatenate(ch), total) for ch in chunks)
assert (sent == 2 * (N - 1) / N * size).all()  # same for every worker
print(f"{N} workers, {size}-value gradient: each sent {sent[0]:.0f}")
