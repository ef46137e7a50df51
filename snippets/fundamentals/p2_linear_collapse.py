import torch
from torch import nn

torch.manual_seed(0)
l1, l2 = nn.Linear(10, 32), nn.Linear(32, 1)
stack = nn.Sequential(l1, l2)           # two layers, no activation

one = nn.Linear(10, 1)                  # one equivalent layer
with torch.no_grad():
    one.weight.copy_(l2.weight @ l1.weight)            # W2 W1
    one.bias.copy_(l2.weight @ l1.bias + l2.bias)      # W2 b1 + b2
x = torch.randn(100, 10)
assert torch.allclose(stack(x), one(x), atol=1e-5)

# affine f: f(a + b) - f(a) - f(b) + f(0) = 0. ReLU breaks it.
relu_stack = nn.Sequential(l1, nn.ReLU(), l2)
a, b, zero = x[:1], x[1:2], torch.zeros(1, 10)
def additivity_error(f):
    return (f(a + b) - f(a) - f(b) + f(zero)).abs().item()
assert additivity_error(stack) < 1e-5   # zero up to round-off
assert additivity_error(relu_stack) > 1e-3
print(f"additivity error: linear < 1e-5 (round-off), "
      f"with ReLU {additivity_error(relu_stack):.3f}")
