import torch
from torch import nn
torch.manual_seed(0)
class Block(nn.Module):            # x + BN(W2 relu(W1 x))
    def __init__(self, d, zero_gamma):
        super().__init__()
        self.w1, self.w2 = nn.Linear(d, d), nn.Linear(d, d)
        self.bn = nn.BatchNorm1d(d)
        if zero_gamma:
            nn.init.zeros_(self.bn.weight)   # gamma of the last norm
    def forward(self, x):
        return x + self.bn(self.w2(torch.relu(self.w1(x))))
x = torch.randn(64, 32)
zero = nn.Sequential(*[Block(32, True) for _ in range(50)])
plain = nn.Sequential(*[Block(32, False) for _ in range(50)])
assert torch.equal(zero(x), x)     # 50 blocks start as the identity
growth = (plain(x).std() / x.std()).item()
assert growth > 5                  # variance adds up: ~sqrt(1 + 50)
# learning still starts: gamma gets a gradient, the branch not yet
(zero(x) * torch.randn(64, 32)).sum().backward()
blk = zero[0]
assert blk.bn.weight.grad.abs().sum() > 0
assert blk.w2.weight.grad.abs().sum() == 0
print(f"std growth, 50 blocks: default {growth:.1f}x, zero-gamma 1x")
