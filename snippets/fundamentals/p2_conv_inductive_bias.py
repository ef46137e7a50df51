import torch
torch.manual_seed(0)
conv = torch.nn.Conv2d(3, 16, kernel_size=3, padding=1,
                       padding_mode="circular")
n_conv = sum(p.numel() for p in conv.parameters())
# a dense layer with the same input and output sizes
n_in, n_out = 3 * 32 * 32, 16 * 32 * 32
n_dense = n_in * n_out + n_out
assert n_conv == 16 * 3 * 3 * 3 + 16 == 448  # one shared filter set
assert n_dense > 50_000_000
# weight sharing = translation equivariance: shift in, shift out
img = torch.randn(1, 3, 32, 32)
shift = lambda t: torch.roll(t, shifts=(5, -3), dims=(2, 3))
assert torch.allclose(conv(shift(img)), shift(conv(img)), atol=1e-5)
for c in (torch.nn.Conv2d(3, 16, 3, padding=1),  # zero padding
          torch.nn.Conv2d(3, 16, 3, stride=2, padding=1,
                          padding_mode="circular")):  # odd shift
    assert not torch.allclose(c(shift(img)), shift(c(img)), atol=1e-2)
dense = torch.nn.Linear(3 * 8 * 8, 3 * 8 * 8)  # a small analogue
small = torch.randn(1, 3, 8, 8)
fc = lambda t: dense(t.flatten(1)).view(1, 3, 8, 8)
assert not torch.allclose(fc(shift(small)), shift(fc(small)),
                          atol=1e-2)          # no such prior
print(f"conv params {n_conv:,} vs dense params {n_dense:,}")
