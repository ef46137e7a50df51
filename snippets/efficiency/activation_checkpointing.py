import torch
from torch.utils.checkpoint import checkpoint
torch.manual_seed(0)
nn, L, calls, x = torch.nn, torch.nn.Linear, [], torch.randn(32, 64)
mlp = lambda: nn.Sequential(L(64, 256), nn.GELU(), L(256, 64))
blocks = nn.ModuleList(mlp() for _ in range(4))
for b in blocks: b.register_forward_pre_hook(lambda *_: calls.append(0))
weights = {p.untyped_storage().data_ptr() for p in blocks.parameters()}
def step(ckpt):  # -> grads, activation bytes kept, block calls
    kept, h = [], x
    def pack(t):  # sees every tensor saved for backward
        kept.append(t.nbytes * (t.untyped_storage().data_ptr()
                                not in weights))
        return t
    calls.clear(); blocks.zero_grad(set_to_none=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        for b in blocks:
            h = checkpoint(b, h, use_reentrant=False) if ckpt else b(h)
    h.square().mean().backward()
    return [p.grad for p in blocks.parameters()], sum(kept), len(calls)
(g0, m0, c0), (g1, m1, c1) = step(False), step(True)
assert all(map(torch.allclose, g0, g1))  # same gradients
assert m1 < m0 / 4 and (c0, c1) == (4, 8)  # each block run twice
print(f"activations kept: {m0 // 1024} -> {m1 // 1024} KiB, same grads")
