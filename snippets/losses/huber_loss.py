import torch
import torch.nn.functional as F
torch.manual_seed(0)
r, d = torch.linspace(-5, 5, 101, requires_grad=True), 1.5
zero = torch.zeros(101)
hub = F.huber_loss(r, zero, reduction="sum", delta=d)
hand = torch.where(r.abs() <= d, 0.5 * r**2, d * (r.abs() - d / 2))
assert torch.allclose(hub, hand.sum())
hub.backward()
assert r.grad.abs().max() <= d + 1e-6   # gradient capped at delta
# SmoothL1Loss(beta) is Huber / beta: equal only when delta = beta = 1
sl1 = F.smooth_l1_loss(r, zero, reduction="sum", beta=d)
assert torch.allclose(sl1 * d, hub) and not torch.allclose(sl1, hub)
# fit one constant to 95 clean points (mean 0) and 5 outliers at 50
y = torch.cat([torch.randn(95), torch.full((5,), 50.0)])
c = torch.linspace(-1, 4, 501)[:, None]            # candidate fits
def best(loss):
    return c[loss.sum(1).argmin()].item()
mse = best((y - c) ** 2)
l1 = best((y - c).abs())
hb = best(F.huber_loss(c.expand(-1, 100), y.expand(501, -1),
                       reduction="none", delta=1.0))
assert mse > 2 and abs(l1) < 0.3 and abs(hb) < 0.3
print(f"best constant: MSE {mse:.2f} (mean), L1 {l1:.2f} (median), "
      f"Huber {hb:.2f}")
