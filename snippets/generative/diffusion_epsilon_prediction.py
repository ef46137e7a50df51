import torch
torch.manual_seed(0)
s2, ab = 4.0, 0.3  # data x0 ~ N(0, s2); noise level alpha_bar_t = 0.3
x0, eps = 2.0 * torch.randn(50_000), torch.randn(50_000)
xt = ab ** 0.5 * x0 + (1 - ab) ** 0.5 * eps  # closed-form noising
# training = least squares of eps on x_t; here a linear eps_theta
w = (xt @ eps) / (xt @ xt)
var_t = ab * s2 + 1 - ab  # x_t ~ N(0, var_t)
w_star = (1 - ab) ** 0.5 / var_t  # E[eps | x_t] = w_star * x_t
assert abs(w - w_star) < 0.01
# the optimal eps-predictor is a scaled score: -sqrt(1-ab) d log p
x = torch.tensor(1.5, requires_grad=True)
log_p = -x ** 2 / (2 * var_t)
score, = torch.autograd.grad(log_p, x)
assert torch.isclose(w_star * x, -(1 - ab) ** 0.5 * score)
# knowing eps recovers x0 exactly from x_t
x0_hat = (xt - (1 - ab) ** 0.5 * eps) / ab ** 0.5
assert torch.allclose(x0_hat, x0, atol=1e-4)
print(f"learned eps slope {w:.3f}; E[eps|x_t] slope {w_star:.3f}")
