import torch
torch.manual_seed(0)
B, L, D, keep = 2, 16, 12, 4  # 16 patches, mask 75%, keep 4
patches = torch.randn(B, L, D)
noise = torch.rand(B, L)
shuffle = noise.argsort(dim=1)  # random order per image
restore = shuffle.argsort(dim=1)
visible = torch.gather(patches, 1,
                       shuffle[:, :keep, None].expand(-1, -1, D))
assert visible.shape == (B, keep, D)  # the encoder sees only these
mask = torch.ones(B, L)
mask[:, :keep] = 0
mask = torch.gather(mask, 1, restore)  # 1 = masked, original order
assert mask.sum() == B * (L - keep)
pred = torch.randn(B, L, D, requires_grad=True)  # decoder output
per_patch = ((pred - patches) ** 2).mean(dim=-1)
loss = (per_patch * mask).sum() / mask.sum()  # masked patches only
loss.backward()
seen = mask == 0
assert (pred.grad[seen] == 0).all() and (pred.grad[~seen] != 0).all()
print(f"encoder tokens {keep}/{L}; loss on {int(mask[0].sum())} "
      "masked patches, zero gradient on visible ones")
