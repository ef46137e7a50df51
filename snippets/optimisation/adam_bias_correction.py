import torch
torch.manual_seed(0)
lr, b1, b2 = 1e-3, 0.9, 0.999
# gradients spanning six orders of magnitude
g = torch.randn(1000).sign() * torch.logspace(-4, 2, 1000)
p = torch.zeros(1000, requires_grad=True)
opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2))
p.grad = g.clone()
opt.step()
# corrected first step: lr * sign(g) for every weight (eps aside)
assert torch.allclose(p.detach(), -lr * g.sign(), rtol=1e-3)
# uncorrected: m = (1-b1) g, v = (1-b2) g^2 -> 0.1/0.0316 = 3.16 lr
m, v = (1 - b1) * g, (1 - b2) * g**2
raw = lr * m / (v.sqrt() + 1e-8)
assert torch.allclose(raw.abs() / lr, torch.tensor(3.162), rtol=1e-2)
# constant gradient: uncorrected step / lr = (1-b1^t)/sqrt(1-b2^t)
ratio = [(1 - b1**t) / (1 - b2**t) ** 0.5 for t in range(1, 5001)]
peak = max(ratio)
assert peak > 6 and ratio[4999] < 1.01   # too BIG early, then fades
print(f"uncorrected step: {ratio[0]:.2f} lr at t=1, peak {peak:.1f} lr"
      f" at t={ratio.index(peak) + 1}, {ratio[999]:.2f} lr at t=1000")
