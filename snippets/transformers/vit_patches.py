import torch
import torch.nn.functional as F
torch.manual_seed(0)
C, H, P, D = 3, 32, 8, 20                # image 32x32, patch 8x8
img = torch.randn(1, C, H, H)
embed = torch.nn.Conv2d(C, D, kernel_size=P, stride=P)  # usual code
tokens = embed(img).flatten(2).transpose(1, 2)  # (1, 16, D)
# the same thing: cut non-overlapping patches, flatten, one Linear
patches = F.unfold(img, kernel_size=P, stride=P).transpose(1, 2)
assert patches.shape == (1, (H // P) ** 2, C * P * P)
W = embed.weight.view(D, -1)             # (D, C*P*P)
assert torch.allclose(patches @ W.T + embed.bias, tokens, atol=1e-5)
# token count (H/P)^2; attention cost grows with its square
n = lambda res, p: (res // p) ** 2
assert n(224, 16) == 196                 # ViT-B/16: + [CLS] = 197
assert n(224, 8) == 4 * n(224, 16)       # half the patch: 4x tokens
print(f"224px: {n(224, 16)} tokens at P=16, {n(224, 8)} at P=8 "
      f"({(n(224, 8) / n(224, 16)) ** 2:.0f}x attention scores)")
