import torch
from torch import nn
d = 64
def ffn():                     # Xavier init, as in Xiong et al.
    f = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(),
                      nn.Linear(4 * d, d))
    for m in (f[0], f[2]):
        nn.init.xavier_normal_(m.weight); nn.init.zeros_(m.bias)
    return f
def last_layer_grad(pre, L):
    torch.manual_seed(1)
    fs = [ffn() for _ in range(L)]
    lns = [nn.LayerNorm(d) for _ in range(L)]
    x = torch.randn(32, d)
    for f, ln in zip(fs, lns):
        x = x + f(ln(x)) if pre else ln(x + f(x))  # pre- / post-LN
    out = nn.LayerNorm(d)(x) if pre else x       # pre-LN: final LN
    ((out - torch.randn(32, d)) ** 2).mean().backward()
    return fs[-1][2].weight.grad.norm().item()
post = last_layer_grad(False, 36) / last_layer_grad(False, 4)
pre = last_layer_grad(True, 36) / last_layer_grad(True, 4)
assert post > 0.7          # post-LN: same size whatever the depth
assert pre < 0.5           # pre-LN: shrinks about like 1/sqrt(L)
print(f"last-layer grad, 36 vs 4 layers: post-LN x{post:.2f}, "
      f"pre-LN x{pre:.2f}")
