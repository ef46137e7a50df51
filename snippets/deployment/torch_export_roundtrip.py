import torch

torch.manual_seed(0)
nn = torch.nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.2),
                      nn.Linear(16, 1)).eval()  # eval BEFORE export
example = (torch.randn(4, 8),)
batch = torch.export.Dim("batch", min=1, max=1024)
prog = torch.export.export(model, example,
                          dynamic_shapes=({0: batch},))
torch.export.save(prog, "model.pt2")  # graph + weights, no class
served = torch.export.load("model.pt2").module()

x = torch.randn(64, 8)  # a batched request
with torch.inference_mode():
    assert torch.allclose(served(x), model(x), atol=1e-6)
    rows = torch.cat([served(r[None]) for r in x])
    assert torch.allclose(served(x), rows, atol=1e-6)
fixed = torch.export.export(model, example).module()  # static
try:
    fixed(x); raise RuntimeError("not specialised?")
except AssertionError:  # guard: batch size was frozen at 4
    pass
