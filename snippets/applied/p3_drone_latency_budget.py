import numpy as np
rng = np.random.default_rng(0)
ms = [8, 4, 25, 3, 5]  # capture, preprocess, inference, NMS, control
def run(period, slow=0.0, n=400):  # a frame arrives every period ms
    free, lat, done = [0.0] * 5, [], []
    for i in range(n):
        t = i * period
        for j, d in enumerate(ms):  # stages work on different frames
            d = 60 if j == 2 and rng.random() < slow else d
            t = free[j] = max(t, free[j]) + d  # queue, then work
        lat.append(t - i * period); done.append(t)
    return np.array(lat), 1000 * (n - 1) / (done[-1] - done[0])
lat, fps = run(25)             # camera paced at the slowest stage
assert (lat == 45).all() and round(fps) == 40  # sum vs slowest
assert run(20)[0][-1] > 10 * 45  # a faster camera only builds a queue
lat, _ = run(30, slow=0.03)    # some slack; 3 % take 60 ms
mean, p99 = lat.mean(), np.percentile(lat, 99)
assert p99 > 1.5 * mean        # budget for the tail, not the mean
print(f"latency mean {mean:.0f} ms, p99 {p99:.0f} ms: at 15 m/s the "
      f"drone flies {15 * p99 / 1000:.2f} m before it can react")
