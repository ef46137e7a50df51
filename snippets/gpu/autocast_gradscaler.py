import torch

torch.manual_seed(0)
low = torch.float16 if DEVICE == "cuda" else torch.bfloat16   # CPU autocast uses bfloat16
model = torch.nn.Linear(16, 4).to(DEVICE)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler(DEVICE)                 # starts at scale 2**16
x, y = torch.randn(8, 16, device=DEVICE), torch.randint(0, 4, (8,), device=DEVICE)
with torch.autocast(DEVICE, dtype=low):               # forward pass and loss only
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, y)
assert logits.dtype == low and loss.dtype == torch.float32   # matmul low, loss float32
assert model.weight.dtype == torch.float32            # master weights stay float32
scaler.scale(loss).backward()                         # backward outside the context
assert model.weight.grad.dtype == torch.float32
scaler.step(opt)                                      # unscales; steps only if grads finite
scaler.update()

g = torch.tensor(1e-8)                                # a small gradient value
assert g.half() == 0 and (g * 2**16).half() != 0      # float16 underflow, fixed by scaling
assert g.bfloat16() != 0                              # bfloat16 has float32's exponent range
w, scale = model.weight.detach().clone(), scaler.get_scale()
opt.zero_grad()
scaler.scale(model(x).sum() * float("inf")).backward()  # an overflowing step...
scaler.step(opt)                                      # ...is skipped
scaler.update()                                       # ...and the scale is halved
assert torch.equal(model.weight, w) and scaler.get_scale() == scale / 2
