import torch
import torch.nn.functional as F
torch.manual_seed(0)
X = torch.randn(1000, 100) * 0.5  # 100 weak features
y = torch.randint(0, 2, (1000,)).float()
X += 0.1 * (2 * y - 1)[:, None]  # each shifts by 0.1
model = torch.nn.Linear(100, 1)  # the Bayes-optimal linear model
with torch.no_grad(): model.weight.fill_(0.8); model.bias.zero_()
bce = F.binary_cross_entropy_with_logits
loss = lambda Z: bce(model(Z)[:, 0], y)
acc = lambda Z: ((model(Z)[:, 0] > 0).float() == y).float().mean()
def grad_sign(Z):                                # sign of dLoss/dx
    Z = Z.clone().requires_grad_(); loss(Z).backward()
    return Z.grad.sign()
eps = 0.2  # per-feature budget, < half the SD
fgsm = X + eps * grad_sign(X)                    # one step
pgd = X.clone()  # PGD: 10 steps + projection
for _ in range(10):
    pgd = X + (pgd + 0.05 * grad_sign(pgd) - X).clamp(-eps, eps)
noise = X + eps * torch.randn_like(X).sign()  # same size, random
print(f"accuracy: clean {acc(X):.2f}, random {acc(noise):.2f}, "
      f"FGSM {acc(fgsm):.2f}, PGD {acc(pgd):.2f}")
assert acc(noise) > acc(X) - 0.05 > 0.9  # random noise: harmless
assert (pgd - X).abs().max() < eps + 1e-6  # inside the eps-ball
assert acc(pgd) <= acc(fgsm) < 0.1  # small, aimed steps break it
