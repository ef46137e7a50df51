import torch
torch.manual_seed(0)
layer = torch.nn.Linear(1024, 1024, bias=False)
x = torch.randn(64, 1024)                      # a batch of 64
out = layer(x)                                 # a dense layer IS a
assert torch.allclose(out, x @ layer.weight.T)  # matrix multiply
rows = torch.stack([layer(x[i]) for i in range(64)])
assert torch.allclose(out, rows, atol=1e-5)    # independent rows
def intensity(batch):  # FLOPs per byte moved: weights, input, output
    flops = 2 * batch * 1024 * 1024    # a multiply and an add per term
    moved = 4 * (layer.weight.numel() + 2 * batch * 1024)  # fp32
    return flops / moved
one, big = intensity(1), intensity(512)
relu = 1 / 8                   # 1 op per 4 bytes read + 4 written
assert one < 1 and big > 200 * one > 200 * relu
print(f"FLOP per byte: batch 1 {one:.2f}, batch 512 {big:.0f}, "
      f"ReLU {relu:.3f}")
