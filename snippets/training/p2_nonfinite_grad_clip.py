import torch
from torch.nn.utils import clip_grad_norm_
def fresh():
    w = torch.nn.Parameter(torch.tensor([0.0, 1.0]))
    loss = torch.sqrt(w).sum()   # = 1.0, but d sqrt(w)/dw at 0: inf
    loss.backward()
    return w, loss
w, loss = fresh()  # common order: backward, clip, check LOSS, step
norm = clip_grad_norm_([w], max_norm=1.0)
assert torch.isfinite(loss) and torch.isinf(norm)  # loss looks fine
assert torch.isnan(w.grad).any()   # clipping scaled inf by 0: NaN
torch.optim.SGD([w], lr=0.1).step()
assert torch.isnan(w).any()        # the weights are now poisoned
w, _ = fresh()                     # fix: test the norm, then step
if torch.isfinite(clip_grad_norm_([w], max_norm=1.0)):
    torch.optim.SGD([w], lr=0.1).step()
assert torch.equal(w.detach(), torch.tensor([0.0, 1.0]))  # skipped
w, _ = fresh()                     # or make clipping raise
try:
    clip_grad_norm_([w], max_norm=1.0, error_if_nonfinite=True)
    raise AssertionError
except RuntimeError as err:
    print("error_if_nonfinite:", str(err)[:40], "...")
w.grad = torch.tensor([0.3, 0.4]); clip_grad_norm_([w], 1.0)  # 0.5
assert torch.equal(w.grad, torch.tensor([0.3, 0.4]))  # not scaled up
