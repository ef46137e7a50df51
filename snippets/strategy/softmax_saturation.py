import torch

torch.manual_seed(0)
d_k, n_keys = 512, 16
q, k = torch.randn(64, d_k), torch.randn(n_keys, d_k)    # 64 queries, unit-variance entries

def softmax_jacobian(z):  # d softmax(z) / dz = diag(s) - s s^T
    s = torch.softmax(z, 0)
    return torch.diag(s) - torch.outer(s, s)

z = torch.randn(n_keys)
assert torch.allclose(softmax_jacobian(z), torch.autograd.functional.jacobian(lambda t: torch.softmax(t, 0), z), atol=1e-6)

raw = q @ k.T                      # scores have standard deviation about sqrt(d_k)
scaled = raw / d_k ** 0.5          # the Transformer's 1/sqrt(d_k) keeps them near 1
grad = lambda scores: torch.stack([softmax_jacobian(r).norm() for r in scores]).mean().item()
print(f"score SD: raw {raw.std():.1f}, scaled {scaled.std():.2f}")
print(f"mean Jacobian norm: raw {grad(raw):.4f}, scaled {grad(scaled):.4f}")
assert raw.std() > 15 and scaled.std() < 1.5
assert grad(raw) < 0.25 * grad(scaled)   # a "smooth" softmax still saturates: gradients vanish
