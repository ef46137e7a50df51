import matplotlib.pyplot as plt
import torch
torch.manual_seed(0); true_logit = 2 * torch.randn(5000)
y = (torch.rand(5000) < torch.sigmoid(true_logit)).float()
logits = 3 * true_logit   # held-out calibration set: 3x too large
nll = lambda T: torch.nn.BCEWithLogitsLoss()(logits / T, y)
def fit(v0, to_T, **kw):      # L-BFGS on the NLL; returns T
    v = torch.tensor([v0], requires_grad=True)
    def loss(): v.grad = None; (f := nll(to_T(v))).backward(); return f
    torch.optim.LBFGS([v], **kw).step(loss); return to_T(v).item()
t_best = min(torch.linspace(1, 5, 401), key=nll)  # grid, step 0.01
t = fit(0.0, torch.exp, lr=1, line_search_fn="strong_wolfe")
assert abs(t - t_best) < 0.01 and t > 1   # overconfident -> T > 1
assert fit(1.0, lambda v: v, lr=0.01, max_iter=50) < 2  # common fit
z = logits / t; assert (z.abs() <= logits.abs()).all()  # p toward 0.5
assert torch.equal(z > 0, logits > 0) and nll(t) < nll(1.0)
assert torch.equal(z.argsort(), logits.argsort())  # same ranks: AUC
print(f"T = {t:.3f}; NLL {nll(1.0):.3f} -> {nll(t):.3f}")
for T in (1.0, t):  # reliability diagram: 10 bins (+ the diagonal)
    p = torch.sigmoid(logits / T); k = (p * 10).long().clamp(max=9)
    c = torch.stack([k.bincount(p), k.bincount(y)]) / k.bincount()
    plt.plot(*c.round(decimals=3), "o-", label=f"T = {T:.2f}")
plt.plot([0, 1], [0, 1], "k:", label="calibrated"); plt.legend()
plt.xlabel("confidence"); plt.ylabel("observed frequency")
plt.savefig("reliability.svg")
