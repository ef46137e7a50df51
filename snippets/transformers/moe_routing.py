import torch
from torch import nn
torch.manual_seed(0)  # E experts, each token uses the top k
d, E, k, n_tok = 8, 4, 2, 6
router = nn.Linear(d, E, bias=False)
experts = nn.ModuleList(
    nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, d))
    for _ in range(E))
x = torch.randn(n_tok, d)
top_p, top_i = router(x).softmax(-1).topk(k, dim=-1)  # top-2 of 4
gate = top_p / top_p.sum(-1, keepdim=True)            # renormalise
y = torch.zeros_like(x)
for e in range(E):                   # each expert sees only its tokens
    tok, slot = (top_i == e).nonzero(as_tuple=True)
    y[tok] += gate[tok, slot, None] * experts[e](x[tok])
# token 0: the gate-weighted sum of its two chosen experts, no others
ref = sum(gate[0, s] * experts[top_i[0, s]](x[:1])[0] for s in range(k))
assert torch.allclose(y[0], ref, atol=1e-6)
unused = set(range(E)) - set(top_i[0].tolist())
y[0].sum().backward()                # only chosen experts get gradient
assert all(experts[e][0].weight.grad is None
           or not experts[e][0].weight.grad.any() for e in unused)
assert experts[top_i[0, 0]][0].weight.grad.any()
print(f"token 0 ran experts {sorted(top_i[0].tolist())}; {k}/{E} "
      "of the expert weights did its compute")
