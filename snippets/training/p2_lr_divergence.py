import torch

torch.manual_seed(0)
X = torch.randn(256, 4)
y = X @ torch.tensor([1.0, -2.0, 0.5, 3.0])

def run_gd(X, lr, steps=50):
    w = torch.zeros(4, requires_grad=True)
    for _ in range(steps):
        loss = ((X @ w - y) ** 2).mean()
        g, = torch.autograd.grad(loss, w)
        with torch.no_grad():
            w -= lr * g
    return loss.item()

# quadratic loss: GD is stable iff lr < 2 / top Hessian eigenvalue
lr_c = 2 / torch.linalg.eigvalsh(2 * X.T @ X / len(X))[-1].item()
assert run_gd(X, lr=0.9 * lr_c) < 1.0   # just under: converges
assert run_gd(X, lr=1.1 * lr_c) > 1e3   # just over: blows up

X_raw = X.clone()
X_raw[:, 0] *= 100                    # one unnormalised feature
assert run_gd(X, lr=0.1) < 1e-3       # fine on standardised inputs
assert not run_gd(X_raw, lr=0.1) < 1e3  # same lr: inf or nan
print(f"critical lr 2/lambda_max = {lr_c:.3f}")
