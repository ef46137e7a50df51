import torch
from torch import nn
torch.manual_seed(0)
V, d = 100, 16
emb, head = nn.Embedding(V, d), nn.Linear(d, V, bias=False)
head.weight = emb.weight                  # tie: one shared matrix
model = nn.ModuleDict({"emb": emb, "head": head})
n = sum(p.numel() for p in model.parameters())   # counted once
assert n == V * d and head.weight is emb.weight
ids = torch.randint(V, (8,))
logits = head(emb(ids))                   # input and output use W
nn.functional.cross_entropy(logits[:-1], ids[1:]).backward()
# the shared gradient is the SUM of the two uses' gradients
W = emb.weight.detach().clone()
We, Wh = W.clone().requires_grad_(), W.clone().requires_grad_()
lg = nn.functional.embedding(ids, We) @ Wh.T
nn.functional.cross_entropy(lg[:-1], ids[1:]).backward()
assert torch.allclose(emb.weight.grad, We.grad + Wh.grad, atol=1e-6)
# state_dict still lists both names, pointing at one storage
sd = model.state_dict()
assert sd["emb.weight"].data_ptr() == sd["head.weight"].data_ptr()
print(f"tied: {n} parameters instead of {2 * V * d}")
