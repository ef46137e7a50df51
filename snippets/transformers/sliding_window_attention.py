import torch
torch.manual_seed(0)
T, d, W = 24, 8, 4          # attend to self and the W - 1 previous
i = torch.arange(T)
allowed = (i[:, None] >= i[None, :]) & (i[:, None] - i[None, :] < W)

def layer(x, Wq, Wk, Wv):
    s = (x @ Wq) @ (x @ Wk).T / d**0.5
    return x + s.masked_fill(~allowed, float("-inf")).softmax(-1) @ (
        x @ Wv)

spans = []
for n_layers in (1, 2, 3):
    x = torch.randn(T, d, dtype=torch.float64, requires_grad=True)
    h = x
    for _ in range(n_layers):
        h = layer(h, *(torch.randn(d, d).double() / d**0.5
                       for _ in range(3)))
    h[-1].sum().backward()              # what can the last token see?
    seen = (x.grad.abs().sum(-1) > 0).nonzero().min().item()
    span = T - 1 - seen                 # how far back it reaches
    assert span == n_layers * (W - 1)   # grows by W - 1 per layer
    spans.append(span)
assert allowed.sum(-1).max() == W       # a rolling KV buffer of W
print(f"reach of the last token after 1, 2, 3 layers: {spans}")
