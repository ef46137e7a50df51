import torch
torch.manual_seed(0)
T = 1000
beta = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)  # DDPM
alpha_bar = torch.cumprod(1 - beta, dim=0)
x0 = torch.full((10_000,), 2.0, dtype=torch.float64)  # one data point
x = x0.clone()
for t in range(500):  # small noising steps
    x = (1 - beta[t]).sqrt() * x + beta[t].sqrt() * torch.randn_like(x)
    if t in (99, 499):  # closed form q(x_t | x_0) at this step
        mean, var = alpha_bar[t].sqrt() * 2.0, 1 - alpha_bar[t]
        assert abs(x.mean() - mean) < 0.03
        assert abs(x.var() / var - 1) < 0.05
        # one jump from x_0 gives the same distribution
        jump = mean + var.sqrt() * torch.randn_like(x0)
        assert abs(jump.mean() - x.mean()) < 0.04
        print(f"t={t + 1}: mean {mean:.3f}, var {var:.3f}")
assert alpha_bar[-1] < 1e-4  # x_T is almost pure N(0, 1) noise
print(f"alpha_bar_T = {alpha_bar[-1]:.1e}")
