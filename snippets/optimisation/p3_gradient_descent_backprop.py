import torch
torch.manual_seed(0)
X, y = torch.randn(16, 3), torch.randn(16, 1)
W1 = torch.randn(3, 4, requires_grad=True)
W2 = torch.randn(4, 1, requires_grad=True)
def loss_fn(W1, W2):
    return ((torch.tanh(X @ W1) @ W2 - y) ** 2).mean()
loss = loss_fn(W1, W2)
loss.backward()                        # autograd's backward pass
# the same by hand, from the output layer back:
h, V = torch.tanh(X @ W1).detach(), W2.detach()
d_out = 2 * (h @ V - y) / len(X)       # dL/d(output)
d_h = d_out @ V.T                      # error sent to hidden layer
assert torch.allclose(W2.grad, h.T @ d_out, atol=1e-6)
d_W1 = X.T @ (d_h * (1 - h**2))        # tanh' = 1 - tanh^2
assert torch.allclose(W1.grad, d_W1, atol=1e-6)
with torch.no_grad():                  # GD: w <- w - lr * grad
    lr = 0.01
    assert loss_fn(W1 - lr * W1.grad, W2 - lr * W2.grad) < loss
# L = a w^2 / 2 with a = 10 diverges once lr > 2 / a
for lr, converges in [(0.19, True), (0.21, False)]:
    w = 1.0
    for _ in range(50):
        w -= lr * 10.0 * w
    assert (abs(w) < 1) == converges
