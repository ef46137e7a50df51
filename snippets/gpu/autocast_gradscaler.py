import torch
low = torch.float16 if DEVICE == "cuda" else torch.bfloat16
model = torch.nn.Linear(16, 4).to(DEVICE)
scaler = torch.amp.GradScaler(DEVICE)  # S starts at 2**16
with torch.autocast(DEVICE, dtype=low):  # forward and loss only
    out = model(torch.randn(8, 16, device=DEVICE))
    loss = torch.nn.functional.mse_loss(out, torch.zeros_like(out))
scaler.scale(loss).backward()  # outside autocast
assert out.dtype == low and loss.dtype == torch.float32
g = torch.tensor(1e-8)  # tiny gradient: lost in fp16 unless scaled
assert g.half() == 0 and (g * 2**16).half() != 0
tiny = torch.tensor([2**-24, 3e-8, 2.9e-8]).half()  # subnormal edge
assert tiny.tolist() == [2**-24, 2**-24, 0.0]  # < 2**-25 rounds to 0
w, s = model.weight.detach().clone(), scaler.get_scale()
model.weight.grad.fill_(float("inf"))  # overflow: skip, halve S
scaler.step(torch.optim.SGD(model.parameters())); scaler.update()
assert torch.equal(model.weight, w) and scaler.get_scale() == s / 2
assert scaler.get_growth_interval() == 2000  # clean steps to double S
