import torch

model = torch.nn.Linear(256, 10).to(DEVICE)  # moved in place
x = torch.randn(512, 256)         # new tensors start on the CPU
xd = x.to(DEVICE)                 # tensors: .to() returns a tensor
assert xd.to(DEVICE) is xd        # already there: no copy at all
out = model(xd)
assert out.device.type == DEVICE == model.weight.device.type
assert isinstance(out.sum().item(), float)  # waits, copies to host
if DEVICE == "cuda":
    try:
        model(x); raise AssertionError  # CPU input, GPU weights
    except RuntimeError as e:
        assert "device" in str(e)
