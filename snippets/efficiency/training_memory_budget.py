import torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                            torch.nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters())
model(torch.randn(4, 64)).sum().backward()
opt.step()
params = list(model.parameters())
n = sum(p.numel() for p in params)
weights = sum(p.nbytes for p in params)
grads = sum(p.grad.nbytes for p in params)
adam = sum(t.nbytes for st in opt.state.values()
           for t in st.values() if t.dim() > 0)  # exp_avg, exp_avg_sq
assert weights == grads == 4 * n and adam == 8 * n
fp32_per_param = (weights + grads + adam) / n
# mixed precision: fp16 weights and grads + fp32 master, m and v
mixed_per_param = 2 + 2 + (4 + 4 + 4)
assert fp32_per_param == mixed_per_param == 16
print(f"fp32 Adam: {fp32_per_param:.0f} B/param (measured), "
      f"mixed: {mixed_per_param} B/param")
print(f"7B params: {7e9 * 16 / 1e9:.0f} GB before any activation")
