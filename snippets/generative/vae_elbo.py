import math
import torch
from torch.distributions import Normal, kl_divergence as KL
torch.manual_seed(0)
s2, x = 0.25, torch.tensor(1.3)  # z ~ N(0, 1); x | z ~ N(z, s2)
log_px = Normal(0.0, (1 + s2) ** 0.5).log_prob(x)  # exact evidence
post = Normal(x / (1 + s2), (s2 / (1 + s2)) ** 0.5)  # exact p(z|x)

def elbo(q):  # E_q[log p(x|z)] - KL(q || prior), closed form
    rec = (-0.5 * math.log(2 * math.pi * s2)
           - ((x - q.loc) ** 2 + q.scale ** 2) / (2 * s2))
    return rec - KL(q, Normal(0.0, 1.0))

for m, s in [(0.0, 1.0), (1.0, 0.3), (0.5, 0.8)]:
    q = Normal(torch.tensor(m), torch.tensor(s))
    gap = log_px - elbo(q)  # the bound's slack is KL(q || posterior)
    assert gap > 0 and torch.isclose(gap, KL(q, post), atol=1e-5)
assert torch.isclose(elbo(post), log_px)  # tight at the posterior
z = post.rsample((1000,))  # Monte Carlo, as a VAE estimates it
mc = (Normal(z, s2 ** 0.5).log_prob(x) - post.log_prob(z)
      + Normal(0.0, 1.0).log_prob(z)).mean()
assert abs(mc - log_px) < 0.01
print(f"log p(x) = {log_px:.3f}; ELBO with q = prior: "
      f"{elbo(Normal(0.0, 1.0)):.3f}; with q = posterior: equal")
