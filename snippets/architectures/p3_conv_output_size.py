import torch
from torch.nn import Conv2d
def out_size(n, k, s=1, p=0):       # floor((n + 2p - k) / s) + 1
    return (n + 2 * p - k) // s + 1
x = torch.randn(1, 3, 32, 32)
for k, s, p in [(3, 1, 0), (3, 1, 1), (5, 2, 2), (7, 2, 3),
                (3, 2, 0), (4, 3, 1)]:
    side = out_size(32, k, s, p)
    y = Conv2d(3, 8, k, stride=s, padding=p)(x)
    assert y.shape == (1, 8, side, side)
assert out_size(32, 3, 2, 0) == 15  # the floor drops a border row
# stride 1, odd k: p = (k - 1) / 2 keeps the size ("same")
assert Conv2d(3, 8, 5, padding=2)(x).shape[-2:] == (32, 32)
assert Conv2d(3, 8, 5, padding="same")(x).shape[-2:] == (32, 32)
try:                                # 'same' refused for stride > 1
    Conv2d(3, 8, 3, stride=2, padding="same")
except ValueError:
    pass
else:
    raise AssertionError("expected ValueError")
# pooling follows the same formula (here k = s = 2)
assert torch.nn.MaxPool2d(2)(x).shape[-2:] == (16, 16)
