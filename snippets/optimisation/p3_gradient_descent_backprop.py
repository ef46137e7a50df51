import torch

torch.manual_seed(0)
X, y = torch.randn(16, 3), torch.randn(16, 1)
W1 = torch.randn(3, 4, requires_grad=True)
W2 = torch.randn(4, 1, requires_grad=True)
h = torch.tanh(X @ W1)                       # forward pass
loss = ((h @ W2 - y) ** 2).mean()
loss.backward()                              # autograd's backward pass

d_out = 2 * (h @ W2 - y) / len(X)            # backprop by hand: dL/d(output)
d_W2 = h.T @ d_out                           # chain rule, layer 2
d_h = d_out @ W2.T                           # error sent back to the hidden layer
d_W1 = X.T @ (d_h * (1 - h**2))              # tanh'(z) = 1 - tanh(z)^2
assert torch.allclose(W2.grad, d_W2.detach(), atol=1e-6)
assert torch.allclose(W1.grad, d_W1.detach(), atol=1e-6)

with torch.no_grad():                        # gradient descent: w <- w - lr * grad
    W1n, W2n = W1 - 0.01 * W1.grad, W2 - 0.01 * W2.grad
    new_loss = ((torch.tanh(X @ W1n) @ W2n - y) ** 2).mean()
assert new_loss < loss
print(f"loss {loss.item():.4f} -> {new_loss.item():.4f} after one step")

a = 10.0                                     # L(w) = a*w^2/2: GD diverges once lr > 2/a
for lr, converges in [(0.19, True), (0.21, False)]:
    w = 1.0
    for _ in range(50):
        w -= lr * a * w
    assert (abs(w) < 1) == converges
