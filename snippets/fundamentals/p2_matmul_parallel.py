import torch

torch.manual_seed(0)
layer = torch.nn.Linear(512, 256)
x = torch.randn(64, 512)                                  # a batch of 64 examples

# A dense layer IS a matrix multiply (plus a bias)
assert torch.allclose(layer(x), x @ layer.weight.T + layer.bias, atol=1e-5)
# Every output row is independent of the others -> thousands of parallel dot products
rows = torch.stack([layer(x[i]) for i in range(64)])
assert torch.allclose(layer(x), rows, atol=1e-5)

flops = 2 * 64 * 512 * 256                                # one multiply + one add per term
assert flops == 16_777_216

def intensity_matmul(n, bytes_per=4):                     # n x n @ n x n, fp32
    return 2 * n ** 3 / (3 * n * n * bytes_per)           # FLOPs per byte moved = n / 6
relu_intensity = 1 / (2 * 4)                              # 1 op per 4 B read + 4 B written
assert intensity_matmul(4096) > 5000 * relu_intensity     # matmuls are compute-bound
print(f"FLOPs for this layer: {flops:,}; n=4096 matmul: {intensity_matmul(4096):.0f} FLOP/byte")
