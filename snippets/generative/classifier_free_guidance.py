import torch
torch.manual_seed(0)
mus = torch.tensor([-1.0, 1.0])  # p(x|c) = N(mu_c, 1); classes 50/50
def log_p_cond(x, c):
    return -0.5 * (x - mus[c]) ** 2
def log_p(x):  # unconditional: the mixture (up to a constant)
    return torch.logsumexp(-0.5 * (x[..., None] - mus) ** 2, dim=-1)
def score(f, x):
    x = x.clone().requires_grad_()
    return torch.autograd.grad(f(x), x)[0]
x, c, w = torch.tensor(0.5), 1, 3.0
s_c, s_u = score(lambda v: log_p_cond(v, c), x), score(log_p, x)
guided = (1 + w) * s_c - w * s_u  # eps-space: (1+w) eps_c - w eps_u
# = unconditional score + (1 + w) x gradient of an implicit classifier
log_clf = lambda v: log_p_cond(v, c) - log_p(v)  # log p(c|x) + const
assert torch.isclose(guided, s_u + (1 + w) * score(log_clf, x))
assert torch.isclose((1 + 0.0) * s_c - 0.0 * s_u, s_c)  # w = 0
# guided density p(x|c)^(1+w) / p(x)^w: mode moves to surer x
g = torch.linspace(-6, 6, 2401)
dens = (1 + w) * log_p_cond(g, c) - w * log_p(g)
mode = g[dens.argmax()]
clf = lambda v: torch.exp(log_clf(v))  # p(c|x), equal priors
assert mode > mus[c] and clf(mode) > clf(mus[c])
print(f"mode: conditional {mus[c]:.1f}, guided w={w:.0f} {mode:.2f}; "
      f"p(c|x) {clf(mus[c]):.4f} -> {clf(mode):.4f}")
