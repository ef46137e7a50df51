import torch
import torch.nn.functional as F
torch.manual_seed(0)
n, k, s, p = 5, 3, 2, 1
w = torch.randn(1, 1, k, k)
y = torch.randn(1, 1, n, n)
up = F.conv_transpose2d(y, w, stride=s, padding=p)
assert up.shape[-1] == (n - 1) * s - 2 * p + k  # 9, not 10
# it is the adjoint (gradient) of the conv with the same weights
x = torch.randn(1, 1, up.shape[-1], up.shape[-1])
down = F.conv2d(x, w, stride=s, padding=p)
assert down.shape == y.shape
assert torch.isclose((down * y).sum(), (x * up).sum(), rtol=1e-4)
# kernel 3, stride 2: output pixels get uneven numbers of hits
hits = F.conv_transpose2d(torch.ones(1, 1, n, n),
                          torch.ones(1, 1, k, k), stride=s)
inner = hits[0, 0, 2:-2, 2:-2]
assert set(inner.unique().tolist()) == {1.0, 2.0, 4.0}  # checkerboard
even = F.conv_transpose2d(torch.ones(1, 1, n, n),
                          torch.ones(1, 1, 4, 4), stride=2)
assert (even[0, 0, 2:-2, 2:-2] == 4).all()  # k divisible by s: even
print("interior overlap counts, k=3 s=2:")
print(inner[:3, :3].int().tolist())
