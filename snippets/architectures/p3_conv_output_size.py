import torch
from torch.nn import Conv2d
def out_size(n, k, s=1, p=0):       # floor((n + 2p - k) / s) + 1
    return (n + 2 * p - k) // s + 1
x = torch.randn(1, 3, 32, 32)
for k, s, p in [(3, 1, 0), (3, 1, 1), (5, 2, 2), (7, 2, 3),
                (3, 2, 0), (4, 3, 1)]:
    side = out_size(32, k, s, p)
    assert Conv2d(3, 8, k, stride=s, padding=p)(x).shape == (
        1, 8, side, side)
assert out_size(32, 3, 2, 0) == 15  # the floor drops a border row
assert Conv2d(3, 8, 5, padding="same")(x).shape[-2:] == (32, 32)
try:                                # 'same' refused for stride > 1
    Conv2d(3, 8, 3, stride=2, padding="same")
    raise AssertionError("expected ValueError")
except ValueError:
    assert torch.nn.MaxPool2d(2)(x).shape[-2:] == (16, 16)  # k=s=2
seen = {}  # placements covering each pixel of a 1-D row of 8, k = 3
for p in (1, 2):                    # "same" vs full padding (k - 1)
    v = torch.ones(1, 1, 8, requires_grad=True)
    torch.nn.functional.conv1d(v, torch.ones(1, 1, 3), padding=p
                               ).sum().backward()
    seen[p] = v.grad.flatten().int().tolist()
assert seen[1][0] == 2 < 3 == seen[1][4] and set(seen[2]) == {3}
print("placements per pixel, same:", seen[1], "full:", seen[2])
