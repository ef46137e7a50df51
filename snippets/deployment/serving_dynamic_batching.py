import torch
torch.manual_seed(0)
nn = torch.nn
model = nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(32)).eval()
reqs = torch.randn(8, 16)                 # 8 requests from 8 users
with torch.inference_mode():              # eval: rows independent
    batched = model(reqs)
    alone = torch.cat([model(r[None]) for r in reqs])
assert torch.allclose(batched, alone, atol=1e-5)
def serve(max_batch, n=1000, gap=1.0):    # a request every 1 ms
    cost = lambda k: 5.0 + 0.5 * k        # ms: overhead + per item
    free, i, waits = 0.0, 0, []
    while i < n:                          # take what is queued, <= max
        start = max(free, i * gap)
        k = min(max_batch, n - i, int(start // gap) - i + 1)
        free = start + cost(k)
        waits += [free - j * gap for j in range(i, i + k)]
        i += k
    return sum(waits) / n
one, dyn = serve(1), serve(32)
print(f"mean latency: one at a time {one:.0f} ms, batched {dyn:.0f} ms")
assert one > 100 * dyn                    # unbatched: the queue grows
