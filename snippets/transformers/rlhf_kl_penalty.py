import torch
torch.manual_seed(0)
ref = torch.tensor([0.4, 0.3, 0.2, 0.1])      # reference (SFT) policy
r = torch.tensor([0.0, 1.0, 0.5, 3.0])        # reward model scores

def objective(pi, beta):     # E_pi[r] - beta * KL(pi || ref)
    kl = (pi * (pi.log() - ref.log())).sum(-1)
    return (pi * r).sum(-1) - beta * kl

for beta in (0.5, 2.0):
    best = (ref.log() + r / beta).softmax(-1)  # ref * e^(r/beta) / Z
    z = best.log().clone().requires_grad_()
    objective(z.softmax(-1), beta).backward()
    assert z.grad.abs().max() < 1e-6          # a stationary point ...
    others = torch.distributions.Dirichlet(torch.ones(4)).sample(
        (5000,))                              # ... beating 5000 others
    assert (objective(others, beta) < objective(best, beta)).all()
# tiny beta: all mass on the top reward (hacking it); huge: stays ref
tilt = lambda beta: (ref.log() + r / beta).softmax(-1)
assert tilt(0.05)[3] > 0.99
assert torch.allclose(tilt(100.0), ref, atol=0.02)
print(f"best answer's share: ref {ref[3]:.2f}, beta=2 "
      f"{tilt(2.0)[3]:.2f}, beta=0.5 {tilt(0.5)[3]:.2f}")
