import torch
h = [1.0, 100.0]   # curvatures of f(w) = 0.5*sum(h*w^2): condition 100
def steps(lr, mu):  # PyTorch's form: v = mu*v + g; w = w - lr*v
    w, v = [1.0, 1.0], [0.0, 0.0]
    for t in range(1, 5000):
        v = [mu * vi + hi * wi for vi, hi, wi in zip(v, h, w)]
        w = [wi - lr * vi for wi, vi in zip(w, v)]
        if max(abs(wi) for wi in w) < 1e-4:
            return t
# the hand rule matches torch.optim.SGD(momentum=0.9) for 5 steps
H = torch.tensor(h)
p = torch.ones(2, requires_grad=True)
opt = torch.optim.SGD([p], lr=0.01, momentum=0.9)
w, v = torch.ones(2), torch.zeros(2)
for _ in range(5):
    opt.zero_grad(); (0.5 * H * p**2).sum().backward(); opt.step()
    v = 0.9 * v + H * w; w = w - 0.01 * v
assert torch.allclose(p.detach(), w)
gd = steps(lr=2 / 101, mu=0.0)          # best plain step size
hb = steps(lr=4 / 121, mu=(9 / 11)**2)  # tuned heavy ball
assert hb * 5 < gd
print(f"steps to |w| < 1e-4: plain GD {gd}, momentum {hb}")
