import torch

torch.manual_seed(0)
layer = torch.nn.Linear(512, 256)
x = torch.randn(64, 512)                       # a batch of 64

# a dense layer IS a matrix multiply (plus a bias)
out = layer(x)
assert torch.allclose(out, x @ layer.weight.T + layer.bias, atol=1e-5)
# output rows are independent: thousands of parallel dot products
rows = torch.stack([layer(x[i]) for i in range(64)])
assert torch.allclose(out, rows, atol=1e-5)

flops = 2 * 64 * 512 * 256          # a multiply and an add per term
assert flops == 16_777_216

def matmul_intensity(n, bytes_per=4):   # n x n @ n x n in fp32
    return 2 * n ** 3 / (3 * n * n * bytes_per)  # = n / 6 FLOP/byte
relu_intensity = 1 / (2 * 4)      # 1 op per 4 B read + 4 B written
assert matmul_intensity(4096) > 5000 * relu_intensity
print(f"layer FLOPs {flops:,}; 4096^2 matmul "
      f"{matmul_intensity(4096):.0f} FLOP/byte")
