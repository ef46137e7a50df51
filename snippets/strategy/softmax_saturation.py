import torch

torch.manual_seed(0)
d_k = 512
q, k = torch.randn(64, d_k), torch.randn(16, d_k)  # unit variance

def jac(z):  # d softmax(z) / dz = diag(s) - s s^T
    s = torch.softmax(z, 0)
    return torch.diag(s) - torch.outer(s, s)

z = torch.randn(16)
auto = torch.autograd.functional.jacobian(lambda t: t.softmax(0), z)
assert torch.allclose(jac(z), auto, atol=1e-6)

raw = q @ k.T              # score SD about sqrt(d_k)
scaled = raw / d_k ** 0.5  # the Transformer's scaling: SD about 1
norm = lambda S: torch.stack([jac(r).norm() for r in S]).mean()
print(f"|J|: raw {norm(raw):.3f}, scaled {norm(scaled):.3f}")
assert raw.std() > 15 and scaled.std() < 1.5
assert norm(raw) < 0.25 * norm(scaled)  # saturated: tiny gradients
