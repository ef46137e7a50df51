import torch

def fresh():
    w = torch.nn.Parameter(torch.tensor([0.0, 1.0]))
    loss = torch.sqrt(w).sum()            # finite loss (= 1.0), but d sqrt/dw at 0 is inf
    loss.backward()
    return w, loss

# Seed's order: backward -> clip -> check only the LOSS -> step
w, loss = fresh()
norm = torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
assert torch.isfinite(loss)               # the loss check passes...
assert torch.isinf(norm)                  # ...but the gradient norm is inf
assert torch.isnan(w.grad).any()          # clipping scaled inf by 0 -> NaN
torch.optim.SGD([w], lr=0.1).step()
assert torch.isnan(w).any()               # weights are now poisoned

# Fix: test the returned norm (or the grads) before stepping
w, loss = fresh()
norm = torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
if torch.isfinite(norm):
    torch.optim.SGD([w], lr=0.1).step()
assert torch.equal(w.detach(), torch.tensor([0.0, 1.0]))   # step skipped, weights intact

w, loss = fresh()
try:                                      # or make clipping raise on inf/nan
    torch.nn.utils.clip_grad_norm_([w], max_norm=1.0, error_if_nonfinite=True)
    raise AssertionError("expected RuntimeError")
except RuntimeError as err:
    print("error_if_nonfinite:", str(err)[:60])
