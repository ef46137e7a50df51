import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(4, 16) + 3
rms = nn.RMSNorm(16, eps=1e-6)
hand = x / (x.pow(2).mean(-1, keepdim=True) + 1e-6).sqrt()
assert torch.allclose(rms(x), hand, atol=1e-6)
# one gain vector, no mean subtraction, no bias
assert [n for n, _ in rms.named_parameters()] == ["weight"]
ln = nn.LayerNorm(16, eps=1e-6, bias=False)
xc = x - x.mean(-1, keepdim=True)
assert torch.allclose(rms(xc), ln(xc), atol=1e-5)  # zero mean: equal
assert not torch.allclose(rms(x), ln(x), atol=0.1)  # otherwise not
# both ignore a rescaling; only LayerNorm ignores a shift
assert torch.allclose(rms(5 * x), rms(x), atol=1e-5)
assert torch.allclose(ln(x + 7), ln(x), atol=1e-4)
assert not torch.allclose(rms(x + 7), rms(x), atol=0.1)
print("RMSNorm == LayerNorm on zero-mean rows; RMSNorm is not "
      "shift-invariant")
