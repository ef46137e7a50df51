import torch
import torch.nn.utils.prune as prune
torch.manual_seed(0)
lin = torch.nn.Linear(256, 256)
prune.l1_unstructured(lin, "weight", amount=0.9)  # zero smallest 90%
w, mask = lin.weight, lin.weight_mask
kept, cut = lin.weight_orig[mask == 1], lin.weight_orig[mask == 0]
assert cut.abs().max() <= kept.abs().min()  # magnitude criterion
assert abs((w == 0).float().mean().item() - 0.9) < 1e-3
# still a dense 256x256 tensor: a dense matmul does the same FLOPs,
# and the mask plus the original weights now take twice the memory
assert w.layout == torch.strided and w.shape == (256, 256)
# structured pruning: drop whole output units -> a smaller dense layer
rows = lin.weight.norm(dim=1).topk(64).indices
small = torch.nn.Linear(256, 64)
with torch.no_grad():
    small.weight.copy_(w[rows])
    small.bias.copy_(lin.bias[rows])
x = torch.randn(8, 256)
assert torch.allclose(small(x), lin(x)[:, rows], atol=1e-6)
print("unstructured: 90% zeros, same dense matmul")
print("structured: 256 -> 64 units, same outputs for the kept units")
