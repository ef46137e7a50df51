import torch
torch.manual_seed(0)
X = torch.randn(256, 20)
y = X @ torch.randn(20) + torch.randn(256)
def grad(w, xb, yb):          # gradient of the mean squared error
    return 2 * xb.T @ (xb @ w - yb) / len(yb)
def loss(w):
    return ((X @ w - y) ** 2).mean().item()
def run(lr, k=8):             # k small steps vs one k-times-bigger one
    small = torch.zeros(20)
    for xb, yb in zip(X.chunk(k), y.chunk(k)):   # batch 32, lr
        small = small - lr * grad(small, xb, yb)
    big = -k * lr * grad(torch.zeros(20), X, y)  # batch 256, k*lr
    return ((small - big).norm() / small.norm()).item(), small, big
gap, small, big = run(1e-3)  # small lr: same move to first order
assert gap < 0.02
# 8 * 0.1 = 0.8 times top curvature 3.2 > 2: the big step overshoots
top = torch.linalg.eigvalsh(2 * X.T @ X / 256).max()
assert 0.8 * top > 2
gap2, small, big = run(0.1)
assert gap2 > 0.5 and loss(big) > 2 * loss(small)
print(f"lr=1e-3: 8 small steps vs 1 big step differ by {gap:.1%}")
print(f"lr=0.1: loss {loss(small):.1f} after 8 small steps, "
      f"{loss(big):.1f} after 1 big")
