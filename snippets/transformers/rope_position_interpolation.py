import math
import torch
d, L, L_new = 64, 2048, 8192            # trained and target lengths
theta = 10000.0 ** (-torch.arange(0, d, 2).double() / d)
def angles(pos):                        # rotation angle of each pair
    return pos.double()[:, None] * theta
trained = angles(torch.arange(L))
extrapolated = angles(torch.arange(L_new))
interpolated = angles(torch.arange(L_new) * (L / L_new))
# slow pairs turn less than once over the training length
slow = theta * (L - 1) < 2 * math.pi
assert slow.sum() == 11 and not slow[0]     # 11 of 32 pairs
top = trained.max(0).values             # largest angle seen per pair
# extrapolation: slow pairs meet angles up to ~4x beyond any seen
assert (extrapolated.max(0).values[slow] > 3.9 * top[slow]).all()
# interpolation: every position lands in [0, L), as in training
assert (interpolated.max(0).values < L * theta).all()
# the price: neighbouring tokens are now a quarter step apart
step = interpolated[1] - interpolated[0]
assert torch.allclose(step, theta * L / L_new)
# offsets still count: the score depends on (m - n) * L / L_new
print(f"{int(slow.sum())} of {d // 2} pairs turn less than once "
      f"in {L} tokens")
