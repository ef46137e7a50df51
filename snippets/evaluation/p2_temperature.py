import torch

torch.manual_seed(0)
true_logit = 2 * torch.randn(5000)
# held-out calibration set; the model's logits are 3x too large
y = (torch.rand(5000) < torch.sigmoid(true_logit)).float()
logits = 3 * true_logit
nll = torch.nn.BCEWithLogitsLoss()

def fit_temperature(lr, max_iter, log_param=True, **kw):
    v = torch.zeros(1) if log_param else torch.ones(1)
    v.requires_grad_(True)
    temp = lambda: v.exp() if log_param else v   # exp keeps T > 0
    opt = torch.optim.LBFGS([v], lr=lr, max_iter=max_iter, **kw)
    def closure():
        opt.zero_grad()
        loss = nll(logits / temp(), y)
        loss.backward()
        return loss
    opt.step(closure)
    return temp().item()

grid = torch.linspace(1, 5, 401)          # brute force, step 0.01
t_best = grid[torch.stack([nll(logits / t, y) for t in grid]).argmin()]
t = fit_temperature(1.0, 100, line_search_fn="strong_wolfe")
assert abs(t - t_best) < 0.01 and t > 1   # overconfident -> T > 1
# the seed's settings (T itself, lr=0.01, 50 iterations) stop short
assert fit_temperature(0.01, 50, log_param=False) < 2

p_raw, p_cal = torch.sigmoid(logits), torch.sigmoid(logits / t)
assert ((p_cal - 0.5).abs() <= (p_raw - 0.5).abs()).all()  # to 0.5
assert torch.equal(p_cal > 0.5, p_raw > 0.5)   # same decisions
assert torch.equal((logits / t).argsort(), logits.argsort())  # same AUC
assert nll(logits / t, y) < nll(logits, y)
print(f"T = {t:.3f}; NLL {nll(logits, y):.3f} -> "
      f"{nll(logits / t, y):.3f}")
