import torch
torch.manual_seed(0)
pool = torch.nn.MaxPool2d(2)          # 2x2 windows, stride 2
def shift(t, d):                      # circular shift right by d
    return torch.roll(t, shifts=d, dims=-1)
spot = torch.zeros(1, 1, 4, 4)
spot[..., 0, 0] = 1.0                 # one bright pixel
# moving inside its window: invariant; across a window edge: not
assert torch.equal(pool(shift(spot, 1)), pool(spot))
assert not torch.equal(pool(shift(spot, 2)), pool(spot))
x = torch.randn(1, 1, 8, 8)
# shift by the stride -> output shifts by one cell (equivariance)
assert torch.equal(pool(shift(x, 2)), shift(pool(x), 1))
y1 = pool(shift(x, 1))                # a one-pixel shift changes it
assert not torch.equal(y1, pool(x))
same = (y1 == pool(x)).float().mean().item()
print(f"pooled values unchanged by a 1-pixel shift: {same:.0%}")
