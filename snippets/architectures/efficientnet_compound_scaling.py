import torch
from torch.utils.flop_counter import FlopCounterMode
def flops(depth, width, res):           # a plain stack of 3x3 convs
    layers = [torch.nn.Conv2d(width, width, 3, padding=1)
              for _ in range(depth)]
    x = torch.zeros(1, width, res, res)
    with FlopCounterMode(display=False) as count:
        torch.nn.Sequential(*layers)(x)
    return count.get_total_flops()
base = flops(2, 8, 16)
assert flops(4, 8, 16) == 2 * base      # depth d:      x d
assert flops(2, 16, 16) == 4 * base     # width w:      x w^2
assert flops(2, 8, 32) == 4 * base      # resolution r: x r^2
# EfficientNet: d = a^phi, w = b^phi, r = g^phi with a b^2 g^2 ~ 2
a, b, g = 1.2, 1.1, 1.15                # grid-searched at phi = 1
per_phi = a * b**2 * g**2
assert abs(per_phi - 2) < 0.1           # each phi step ~ doubles FLOPs
print(f"FLOPs per unit of phi: x{per_phi:.2f}; "
      f"phi = 3 costs x{per_phi**3:.1f}")
