import torch
torch.manual_seed(0)
conv = torch.nn.Conv2d(3, 16, kernel_size=3, padding=1,
                       padding_mode="circular")
n_conv = sum(p.numel() for p in conv.parameters())
n_out = 16 * 32 * 32  # a dense layer with the same in and out
n_dense = 3 * 32 * 32 * n_out + n_out
assert n_conv == 16 * 3 * 3 * 3 + 16 == 448  # shared filters
assert n_dense > 50_000_000
# weight sharing = translation equivariance: shift in, shift out
img = torch.randn(1, 3, 32, 32)
shift = lambda t: torch.roll(t, shifts=(5, -3), dims=(2, 3))
def same(c, x):  # shift in, shifted out?
    return torch.allclose(c(shift(x)), shift(c(x)), atol=1e-4)
assert same(conv, img)
for c in (torch.nn.Conv2d(3, 16, 3, padding=1),  # zero padding
          torch.nn.Conv2d(3, 16, 3, stride=2, padding=1,
                          padding_mode="circular")):  # odd shift
    assert not same(c, img)
dense = torch.nn.Linear(3 * 8 * 8, 3 * 8 * 8)  # a small analogue
small = torch.randn(1, 3, 8, 8)
fc = lambda t: dense(t.flatten(1)).view(1, 3, 8, 8)
assert not torch.allclose(fc(shift(small)), shift(fc(small)),
                          atol=1e-2)          # no such prior
print(f"conv params {n_conv:,} vs dense params {n_dense:,}")
