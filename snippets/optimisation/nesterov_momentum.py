import torch
H, lr, mu = torch.tensor([1.0, 100.0]), 0.01, 0.99
grad = lambda w: H * w             # f(w) = 0.5 * sum(H * w**2)
# Sutskever et al. (2013): gradient at the look-ahead point w + mu*v
w, v = torch.ones(2), torch.zeros(2)
p = torch.ones(2, requires_grad=True)
opt = torch.optim.SGD([p], lr=lr, momentum=mu, nesterov=True)
for _ in range(10):
    v = mu * v - lr * grad(w + mu * v)
    w = w + v
    opt.zero_grad(); (0.5 * H * p**2).sum().backward(); opt.step()
    # PyTorch stores the look-ahead point itself
    assert torch.allclose(p.detach(), w + mu * v, atol=1e-6)
def steps(nesterov):               # same lr and mu, heavy ball vs NAG
    w, v = torch.ones(2), torch.zeros(2)
    for t in range(1, 3000):
        g = grad(w + mu * v) if nesterov else grad(w)
        v = mu * v - lr * g
        w = w + v
        if w.abs().max() < 1e-4:
            return t
hb, nag = steps(False), steps(True)
assert nag * 3 < hb
print(f"steps at mu={mu}: heavy ball {hb}, Nesterov {nag}")
