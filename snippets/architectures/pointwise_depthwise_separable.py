import torch
import torch.nn as nn
torch.manual_seed(0)
C_in, C_out, k = 32, 64, 3
count = lambda m: sum(p.numel() for p in m.parameters())
full = nn.Conv2d(C_in, C_out, k, padding=1, bias=False)
depthwise = nn.Conv2d(C_in, C_in, k, padding=1, groups=C_in,
                      bias=False)  # one k x k filter per channel
pointwise = nn.Conv2d(C_in, C_out, 1, bias=False)  # 1x1: mixes channels
sep = count(depthwise) + count(pointwise)
assert (count(full), sep) == (k*k*C_in*C_out, k*k*C_in + C_in*C_out)
ratio = sep / count(full)
assert abs(ratio - (1 / C_out + 1 / k ** 2)) < 1e-9  # ~8x fewer
# a 1x1 conv is a Linear layer applied at every pixel
x = torch.randn(2, C_in, 5, 5)
as_linear = pointwise.weight[:, :, 0, 0]  # C_out x C_in
per_pixel = torch.einsum("oi,bihw->bohw", as_linear, x)
assert torch.allclose(pointwise(x), per_pixel, atol=1e-5)
# separable = a full conv whose kernel is rank-1 per (out, in) pair
W = pointwise.weight * depthwise.weight.transpose(0, 1)  # o,i,k,k
assert torch.allclose(pointwise(depthwise(x)),
                      nn.functional.conv2d(x, W, padding=1), atol=1e-5)
print(f"params: full {count(full)}, separable {sep} "
      f"({ratio:.3f} of full)")
