import torch
torch.manual_seed(0)
def per_gpu_gb(psi, n, stage, k=12):  # mixed-precision Adam, n GPUs
    w, g, opt = 2 * psi, 2 * psi, k * psi  # fp16 w, fp16 grads, fp32 x3
    if stage >= 1: opt /= n                # ZeRO-1: optimiser state
    if stage >= 2: g /= n                  # ZeRO-2: + gradients
    if stage >= 3: w /= n                  # ZeRO-3 / FSDP: + weights
    return (w + g + opt) / 1e9
gb = [round(per_gpu_gb(7.5e9, 64, s), 1) for s in range(4)]
assert gb == [120.0, 31.4, 16.6, 1.9]  # Rajbhandari et al., 2020
# each rank updates only its slice: Adam is elementwise, so the
# sharded step followed by an all-gather equals the full step
p, g = torch.randn(10), torch.randn(10)
full = p.clone().requires_grad_()
full.grad = g.clone()
torch.optim.Adam([full], lr=0.1).step()
shards = []
for p_r, g_r in zip(p.chunk(2), g.chunk(2)):  # rank r's 1/N
    s = p_r.clone().requires_grad_()
    s.grad = g_r.clone()
    torch.optim.Adam([s], lr=0.1).step()
    shards.append(s)
assert torch.allclose(torch.cat(shards), full)  # all-gather
print("GB per GPU for stages 0-3, 7.5B params, 64 GPUs:", gb)
