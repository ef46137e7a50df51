import torch
torch.manual_seed(0)
N, B = 1024, 32
X = torch.randn(N, 5)
y = X @ torch.randn(5, 1) + 0.5 * torch.randn(N, 1)
w = torch.zeros(5, 1)
def grad(idx):                 # MSE gradient on examples idx
    return 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
full = grad(torch.arange(N))   # batch GD: 1 update per epoch
perm = torch.randperm(N)       # mini-batch: N/B updates
minis = [grad(perm[i:i + B]) for i in range(0, N, B)]
# one epoch of mini-batch gradients averages to the full one
assert torch.allclose(torch.stack(minis).mean(0), full, atol=1e-5)
def spread(b):                 # std of the gradient estimate
    g = [grad(torch.randperm(N)[:b]) for _ in range(300)]
    return torch.stack(g).std(0).mean()
s1, s32 = spread(1), spread(B)
assert 3.5 < s1 / s32 < 9      # noise shrinks ~ 1/sqrt(B)
print(f"gradient noise (std): B=1 {s1:.2f}, B=32 {s32:.2f}")
