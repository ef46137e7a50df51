import torch
eps = 0.2

def grad_of_objective(ratio, adv):        # d/d ratio of the PPO term
    rho = torch.tensor(ratio, requires_grad=True)
    clipped = rho.clamp(1 - eps, 1 + eps)
    torch.min(rho * adv, clipped * adv).backward()
    return rho.grad.item()

# good action (A > 0): pushed up until ratio 1 + eps, then no gradient
assert grad_of_objective(1.1, 2.0) == 2.0
assert grad_of_objective(1.5, 2.0) == 0.0
# bad action (A < 0): pushed down until ratio 1 - eps, then none
assert grad_of_objective(0.9, -2.0) == -2.0
assert grad_of_objective(0.5, -2.0) == 0.0
# min is pessimistic: a bad action made MORE likely is never clipped
assert grad_of_objective(1.5, -2.0) == -2.0
assert grad_of_objective(0.5, 2.0) == 2.0   # nor a good one made rarer
# ratio = pi_new / pi_old, computed from log-probs for stability
new_lp, old_lp = torch.tensor(-1.0), torch.tensor(-1.3)
ratio = (new_lp - old_lp).exp()
assert 1 + eps < ratio                     # this token is past the clip
print(f"ratio {ratio:.2f}: with A > 0 its gradient is "
      f"{grad_of_objective(ratio.item(), 1.0)}")
