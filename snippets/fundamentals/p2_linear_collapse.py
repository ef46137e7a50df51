import torch

torch.manual_seed(0)
l1, l2 = torch.nn.Linear(10, 32), torch.nn.Linear(32, 1)
stack = torch.nn.Sequential(l1, l2)               # two layers, no activation

one = torch.nn.Linear(10, 1)                      # a single equivalent layer
with torch.no_grad():
    one.weight.copy_(l2.weight @ l1.weight)       # W = W2 W1
    one.bias.copy_(l2.weight @ l1.bias + l2.bias) # b = W2 b1 + b2

x = torch.randn(100, 10)
assert torch.allclose(stack(x), one(x), atol=1e-5)  # depth added nothing

relu_stack = torch.nn.Sequential(l1, torch.nn.ReLU(), l2)
# with ReLU the map is no longer linear: f(a + b) != f(a) + f(b) in general
a, b = x[:1], x[1:2]
lin_err = (stack(a + b) - stack(a) - stack(b) + stack(torch.zeros(1, 10))).abs().item()
relu_err = (relu_stack(a + b) - relu_stack(a) - relu_stack(b) + relu_stack(torch.zeros(1, 10))).abs().item()
assert lin_err < 1e-5 and relu_err > 1e-3
print(f"additivity error: linear stack {lin_err:.1e}, ReLU stack {relu_err:.3f}")
