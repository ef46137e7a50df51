import torch
torch.manual_seed(0)
conv = torch.nn.Conv2d(in_channels=3, out_channels=4, kernel_size=3)
# one kernel per output channel, each spanning ALL input channels
assert conv.weight.shape == (4, 3, 3, 3)
n_conv = sum(p.numel() for p in conv.parameters())
assert n_conv == 4 * 3 * 3 * 3 + 4           # 108 weights + 4 biases, for any image size
x = torch.randn(1, 3, 6, 6)
y = conv(x)                                  # (1, 4, 4, 4): one feature map per kernel
c, i, j = 1, 2, 0
patch = x[0, :, i:i + 3, j:j + 3]            # the 3x3x3 window under the kernel
# one output = dot product of kernel and window + bias; the kernel is NOT flipped
assert torch.isclose(y[0, c, i, j], (patch * conv.weight[c]).sum() + conv.bias[c], atol=1e-6)
flipped = (patch * conv.weight[c].flip(-1, -2)).sum() + conv.bias[c]
assert not torch.isclose(y[0, c, i, j], flipped, atol=1e-3)  # i.e. cross-correlation
n_dense = x.numel() * y.numel() + y.numel()  # a dense layer making the same 4x4x4 map
print(f"conv params {n_conv}, dense layer for the same map {n_dense}")
