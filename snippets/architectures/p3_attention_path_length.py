import torch
torch.manual_seed(0)
n, d, mid = 33, 8, 16
def reach(model, x):   # how many inputs affect output position mid
    x = x.clone().requires_grad_(True)
    model(x)[0, mid].sum().backward()
    return (x.grad[0].abs().sum(-1) > 0).sum().item()
x = torch.randn(1, n, d)
convs = torch.nn.Sequential(
    *[torch.nn.Conv1d(d, d, 3, padding=1) for _ in range(4)])
def conv_net(t):       # (1, n, d) -> conv along n -> (1, n, d)
    return convs(t.transpose(1, 2)).transpose(1, 2)
assert reach(conv_net, x) == 1 + 4 * (3 - 1)   # 4 layers: 9 tokens
attn = torch.nn.MultiheadAttention(d, 2, batch_first=True)
assert reach(lambda t: attn(t, t, t)[0], x) == n  # 1 layer: all 33
rnn = torch.nn.RNN(d, d, batch_first=True)  # reaches all tokens...
xs = x.clone().requires_grad_(True)
rnn(xs)[0][0, -1].sum().backward()
g = xs.grad[0].norm(dim=-1)
assert g[0] < 1e-3 * g[-1]  # ...but 32 steps back the signal fades
print(f"RNN grad norm: last token {g[-1]:.1e}, first {g[0]:.1e}")
