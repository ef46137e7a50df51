import torch

torch.manual_seed(0)
true_logit = 2 * torch.randn(5000)
y = (torch.rand(5000) < torch.sigmoid(true_logit)).float()   # held-out calibration set
logits = 3 * true_logit                                      # an overconfident model
nll = torch.nn.BCEWithLogitsLoss()

def fit_temperature(lr, max_iter, log_param=True, **kw):
    v = (torch.zeros(1) if log_param else torch.ones(1)).requires_grad_()
    temp = lambda: v.exp() if log_param else v               # exp keeps T > 0
    opt = torch.optim.LBFGS([v], lr=lr, max_iter=max_iter, **kw)
    def closure():
        opt.zero_grad()
        loss = nll(logits / temp(), y)
        loss.backward()
        return loss
    opt.step(closure)
    return temp().item()

grid = torch.linspace(1, 5, 401)                          # brute-force check, step 0.01
t_best = grid[torch.stack([nll(logits / t, y) for t in grid]).argmin()].item()
t = fit_temperature(lr=1.0, max_iter=100, line_search_fn="strong_wolfe")
assert abs(t - t_best) < 0.01 and t > 1                  # overconfident -> T > 1
assert fit_temperature(lr=0.01, max_iter=50, log_param=False) < 2  # seed's settings: far short
p_raw, p_cal = torch.sigmoid(logits), torch.sigmoid(logits / t)
assert ((p_cal - 0.5).abs() <= (p_raw - 0.5).abs()).all()  # T > 1 pulls toward 0.5
assert torch.equal(p_cal > 0.5, p_raw > 0.5)              # decisions at 0.5 unchanged
assert torch.equal((logits / t).argsort(), logits.argsort())  # ranking, so AUC, unchanged
assert nll(logits / t, y) < nll(logits, y)
print(f"fitted T = {t:.3f}; NLL {nll(logits, y):.3f} -> {nll(logits / t, y):.3f}")
