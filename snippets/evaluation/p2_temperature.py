import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
true_logit = 2 * torch.randn(5000)
y = (torch.rand(5000) < torch.sigmoid(true_logit)).float()
logits = 3 * true_logit   # held-out calibration set: 3x too large
nll = lambda T: torch.nn.BCEWithLogitsLoss()(logits / T, y)

def fit(v0, to_T, **kw):      # L-BFGS on the NLL; returns T
    v = torch.tensor([v0], requires_grad=True)
    opt = torch.optim.LBFGS([v], **kw)
    def closure():
        opt.zero_grad()
        (loss := nll(to_T(v))).backward()
        return loss
    opt.step(closure)
    return to_T(v).item()

grid = torch.linspace(1, 5, 401)          # brute force, step 0.01
t_best = grid[torch.stack([nll(t) for t in grid]).argmin()]
t = fit(0.0, torch.exp, lr=1, line_search_fn="strong_wolfe")
assert abs(t - t_best) < 0.01 and t > 1   # overconfident -> T > 1
assert fit(1.0, lambda v: v, lr=0.01, max_iter=50) < 2  # common fit
assert ((logits / t).abs() <= logits.abs()).all()  # p toward 0.5
assert torch.equal(logits / t > 0, logits > 0)   # same decisions
assert torch.equal((logits / t).argsort(), logits.argsort())  # AUC
assert nll(t) < nll(1.0)
print(f"T = {t:.3f}; NLL {nll(1.0):.3f} -> {nll(t):.3f}")
for T in (1.0, t):                      # the reliability diagram
    p = torch.sigmoid(logits / T)
    k = (p * 10).long().clamp(max=9)      # 10 equal-width bins
    c = [(round(p[k == i].mean().item(), 3), y[k == i].mean().item())
         for i in k.unique()]
    plt.plot(*zip(*c), "o-", label=f"T = {T:.2f}")
plt.plot([0, 1], [0, 1], "k:", label="calibrated")
plt.xlabel("confidence"); plt.ylabel("observed frequency")
plt.legend(); plt.savefig("reliability.svg")
