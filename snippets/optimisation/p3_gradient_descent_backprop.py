import torch
torch.manual_seed(0)
X, y = torch.randn(16, 3), torch.randn(16, 1)
W1, W2 = torch.randn(3, 4, requires_grad=True), torch.randn(4, 1, requires_grad=True)
def loss_fn(W1, W2):
    return ((torch.tanh(X @ W1) @ W2 - y) ** 2).mean()
loss = loss_fn(W1, W2)
loss.backward()                              # autograd's backward pass
h, V = torch.tanh(X @ W1).detach(), W2.detach()   # now by hand, output layer first:
d_out = 2 * (h @ V - y) / len(X)             # dL/d(output)
d_h = d_out @ V.T                            # error sent back to the hidden layer
assert torch.allclose(W2.grad, h.T @ d_out, atol=1e-6)
assert torch.allclose(W1.grad, X.T @ (d_h * (1 - h**2)), atol=1e-6)   # tanh' = 1 - tanh^2
with torch.no_grad():                        # gradient descent: w <- w - lr * grad
    assert loss_fn(W1 - 0.01 * W1.grad, W2 - 0.01 * W2.grad) < loss
for lr, converges in [(0.19, True), (0.21, False)]:   # L = a w^2 / 2 with a = 10
    w = 1.0
    for _ in range(50):
        w -= lr * 10.0 * w
    assert (abs(w) < 1) == converges
