import threading
import torch
import torch.distributed as dist
torch.manual_seed(0)
model = torch.nn.Linear(10, 1)
X, y = torch.randn(16, 10), torch.randn(16, 1)
def grads(xb, yb):  # mean loss over the batch, as usual
    model.zero_grad()
    torch.nn.functional.mse_loss(model(xb), yb).backward()
    return [p.grad.clone() for p in model.parameters()]
big = grads(X, y)                                  # 1 worker, 16 rows
local = [grads(X[r::2], y[r::2]) for r in (0, 1)]  # 2 ranks, 8 each
store = dist.HashStore()  # 2 real gloo ranks, run here as 2 threads
def rank_main(r):
    pg = dist.ProcessGroupGloo(store, r, 2)
    for g in local[r]:
        pg.allreduce([g]).wait()  # sum over the ranks, in place
        g /= 2                    # DDP averages
ws = [threading.Thread(target=rank_main, args=(r,)) for r in (0, 1)]
for w in ws: w.start()
for w in ws: w.join()
pairs = zip(local[0] + local[1], big + big)  # both ranks agree
assert all(torch.allclose(a, b, atol=1e-6) for a, b in pairs)
print("averaged all-reduce of 2 x 8 rows == gradient of 16 rows")
