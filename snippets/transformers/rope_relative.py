import torch
torch.manual_seed(0)
d = 8
theta = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
def rope(x, pos):     # rotate each pair (x[2i], x[2i+1]) by pos*theta_i
    c, s = (pos * theta).cos(), (pos * theta).sin()
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack([a * c - b * s, a * s + b * c], -1).flatten(-2)
q, k = torch.randn(d, dtype=torch.float64), torch.randn(d).double()
score = lambda m, n: rope(q, m) @ rope(k, n)
# the score depends on the offset m - n only, not on m and n
same = [score(m, m - 2) for m in (2, 9, 500)]
assert all(torch.isclose(s, same[0], atol=1e-9) for s in same)
assert not torch.isclose(score(9, 2), same[0])
# a pure rotation: norms are kept, position 0 is the identity
assert torch.isclose(rope(q, 77).norm(), q.norm())
assert torch.allclose(rope(q, 0), q)
# the same, written as complex multiplication by e^{i pos theta}
z = torch.view_as_complex(q.view(-1, 2).contiguous())
rot = torch.view_as_real(z * torch.polar(torch.ones_like(theta),
                                         5 * theta)).flatten()
assert torch.allclose(rope(q, 5), rot)
print(f"q.k at offset 2, for m = 2, 9, 500: {same[0].item():.4f}")
