import torch
from torch.distributions import Normal
torch.manual_seed(0)
mu = torch.tensor(0.5, requires_grad=True)
log_sd = torch.tensor(-0.3, requires_grad=True)
q = Normal(mu, log_sd.exp())
z = q.rsample((50_000,))  # z = mu + sd * eps, eps ~ N(0, 1)
(z ** 2).mean().backward()  # d/dmu E[z^2] = 2 mu; d/dlog_sd = 2 sd^2
sd = log_sd.exp().item()
assert abs(mu.grad - 1.0) < 0.02 and abs(log_sd.grad - 2 * sd**2) < 0.02
assert not q.sample((3,)).requires_grad  # .sample() cuts the graph
# per-sample estimates of d/dmu E[z^2], from the same noise
eps = torch.randn(50_000)
zz = 0.5 + sd * eps
g_reparam = 2 * zz                      # pathwise: d(z^2)/dz * dz/dmu
g_score = zz ** 2 * eps / sd            # REINFORCE: f(z) d log q/dmu
assert abs(g_score.mean() - 1.0) < 0.05  # both unbiased ...
assert g_score.var() > 3 * g_reparam.var()  # ... far noisier
print(f"grad wrt mu: {mu.grad:.2f} (exact 1.00); estimator variance "
      f"reparam {g_reparam.var():.1f}, score {g_score.var():.1f}")
