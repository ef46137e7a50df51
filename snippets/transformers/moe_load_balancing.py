import torch
torch.manual_seed(0)
N, n_tok = 4, 512                         # experts, tokens
def switch_aux_loss(logits):              # N * sum_i f_i * P_i
    probs = logits.softmax(-1)
    f = torch.bincount(probs.argmax(-1), minlength=N) / len(logits)
    P = probs.mean(0)                     # differentiable part
    return N * (f * P).sum(), f
even = torch.randn(n_tok, N) * 0.01       # near-uniform router
collapsed = torch.randn(n_tok, N) * 0.01 + torch.tensor([9., 0, 0, 0])
lo, f_even = switch_aux_loss(even)
hi, f_coll = switch_aux_loss(collapsed)
assert abs(lo - 1) < 0.02 and f_even.min() > 0.15   # balanced: ~1
assert abs(hi - N) < 0.01 and f_coll[0] == 1        # collapsed: ~N
# its gradient lowers the overloaded expert's logit for every token
logits = collapsed.clone().requires_grad_()
switch_aux_loss(logits)[0].backward()
assert (logits.grad[:, 0] > 0).all()         # descent pushes it down
assert (logits.grad[:, 1:] < 0).all()        # and the others up
print(f"aux loss: balanced {lo:.2f}, collapsed {hi:.2f} (N = {N})")
