import torch
import torch.nn.functional as F
torch.manual_seed(0)
# discriminator logits on fakes; early on D rejects them: D(G(z)) ~ 0
a = torch.tensor([-6.0, -3.0, 0.0], requires_grad=True)
saturating = torch.log1p(-torch.sigmoid(a))  # G minimises log(1 - D)
g_sat, = torch.autograd.grad(saturating.sum(), a)
non_sat = -F.logsigmoid(a)                   # G minimises -log D
g_ns, = torch.autograd.grad(non_sat.sum(), a)
assert torch.allclose(g_sat, -torch.sigmoid(a))        # -> 0 as D -> 0
assert torch.allclose(g_ns, -(1 - torch.sigmoid(a)))   # -> -1
assert g_sat[0].abs() < 0.003 and g_ns[0].abs() > 0.99
# in code: BCE of fake logits against the label "real" (1)
bce = F.binary_cross_entropy_with_logits(a, torch.ones(3),
                                         reduction="none")
assert torch.allclose(bce, non_sat)
# both push D(G(z)) up: same sign, same fixed point
assert (g_sat < 0).all() and (g_ns < 0).all()
for d, s, n in zip(torch.sigmoid(a), g_sat, g_ns):
    print(f"D(G(z)) = {d:.3f}: grad saturating {s:+.3f}, "
          f"non-saturating {n:+.3f}")
