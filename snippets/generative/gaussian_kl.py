import torch
from torch.distributions import Normal, kl_divergence
torch.manual_seed(0)
mu, logvar = torch.randn(4, 8), torch.randn(4, 8)  # encoder outputs
# KL(N(mu, var) || N(0, 1)), summed over latent dims, per example
kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(dim=1)
q, p = Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)
assert torch.allclose(kl, kl_divergence(q, p).sum(dim=1), atol=1e-5)
z = q.sample((10_000,))  # Monte Carlo: E_q[log q(z) - log p(z)]
mc = (q.log_prob(z) - p.log_prob(z)).mean(0).sum(dim=1)
assert torch.allclose(mc, kl, rtol=0.05)
assert (kl > 0).all()
# not symmetric: KL(p || q) differs from KL(q || p)
back = kl_divergence(p, q).sum(dim=1)
assert not torch.allclose(back, kl, rtol=0.1)
print("closed-form KL per example:", [round(v, 2) for v in kl.tolist()])
