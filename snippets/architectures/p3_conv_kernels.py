import torch
torch.manual_seed(0)
conv = torch.nn.Conv2d(in_channels=3, out_channels=4, kernel_size=3)
# one kernel per output channel, each spanning ALL input channels
assert conv.weight.shape == (4, 3, 3, 3)
n_conv = sum(p.numel() for p in conv.parameters())
assert n_conv == 4 * 3 * 3 * 3 + 4  # whatever the image size
x = torch.randn(1, 3, 6, 6)
y = conv(x)                         # (1, 4, 4, 4): 4 feature maps
c, i, j = 1, 2, 0
patch = x[0, :, i:i + 3, j:j + 3]   # the 3x3x3 window under it
w, b = conv.weight[c], conv.bias[c]
# one output = kernel . window + bias, with NO kernel flip ...
by_hand = (patch * w).sum() + b
assert torch.isclose(y[0, c, i, j], by_hand, atol=1e-6)
flipped = (patch * w.flip(-1, -2)).sum() + b
assert not torch.isclose(y[0, c, i, j], flipped, atol=1e-3)
# ... i.e. cross-correlation. A dense layer for the same map:
n_dense = x.numel() * y.numel() + y.numel()
print(f"conv params {n_conv}, dense params {n_dense}")
