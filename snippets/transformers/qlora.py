import torch
torch.manual_seed(0)
W, block = torch.randn(128, 64) * 0.02, 64  # frozen base weight
# 16 levels at quantiles of a normal, scaled to [-1, 1] (NF4-like)
q = torch.special.ndtri(torch.linspace(0.03, 0.97, 16))
levels = q / q.abs().max()
blocks = W.reshape(-1, block)
scale = blocks.abs().amax(1, keepdim=True)        # absmax per block
codes = ((blocks / scale)[..., None] - levels).abs().argmin(-1)  # 0-15
W_deq = (levels[codes] * scale).reshape(W.shape)  # used on the fly
rel_err = (W_deq - W).norm() / W.norm()
assert rel_err < 0.15
# bits per weight: 4 + a 32-bit scale per 64 weights; double
# quantisation stores scales in 8 bits, + one 32-bit per 256 blocks
assert 4 + 32 / 64 == 4.5
assert abs(4 + 8 / 64 + 32 / (64 * 256) - 4.127) < 1e-3
# LoRA on top: gradients reach only the bf16-size adapters A, B
A = (torch.randn(8, 64) * 0.01).requires_grad_()
B = torch.zeros(128, 8, requires_grad=True)
x = torch.randn(4, 64)
(x @ W_deq.T + x @ A.T @ B.T).square().sum().backward()
assert not W_deq.requires_grad and B.grad.abs().sum() > 0
gb4, gb16 = 65e9 * 4.127 / 8 / 1e9, 65e9 * 2 / 1e9   # a 65B model
assert round(gb4, 1) == 33.5 and gb16 == 130
print(f"4-bit error {rel_err:.1%}; 65B: {gb4:.1f} GB vs {gb16:.0f} GB")
