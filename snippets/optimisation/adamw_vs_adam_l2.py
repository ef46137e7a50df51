import torch
def decay_only(opt_cls, wd, steps=50):   # the loss gives no gradient
    w = torch.ones(1, requires_grad=True)
    opt = opt_cls([w], lr=0.01, weight_decay=wd)
    for _ in range(steps):
        w.grad = torch.zeros(1)
        opt.step()
    return w.item()
# Adam: L2 term wd*w joins the gradient, then is divided by sqrt(v)
weak, strong = decay_only(torch.optim.Adam, 1e-4),\
    decay_only(torch.optim.Adam, 1e-1)
assert abs(weak - strong) < 1e-3        # 1000x the decay, same path
assert 0.5 < weak < 0.6          # ~lr per step, whatever wd is
# AdamW: w <- w * (1 - lr*wd), outside the adaptive scaling
weak_w, strong_w = decay_only(torch.optim.AdamW, 1e-4),\
    decay_only(torch.optim.AdamW, 1e-1)
assert abs(weak_w - (1 - 0.01 * 1e-4) ** 50) < 1e-6
assert abs(strong_w - (1 - 0.01 * 1e-1) ** 50) < 1e-6
print(f"Adam + L2: wd 1e-4 -> {weak:.3f}, wd 1e-1 -> {strong:.3f}")
print(f"AdamW:     wd 1e-4 -> {weak_w:.4f}, wd 1e-1 -> {strong_w:.4f}")
