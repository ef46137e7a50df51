import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                            torch.nn.Linear(16, 1)).eval()   # eval BEFORE export: no dropout
example = torch.randn(4, 8)

batch = torch.export.Dim("batch", min=1, max=1024)          # let the batch size vary
program = torch.export.export(model, (example,), dynamic_shapes=({0: batch},))
torch.export.save(program, "model.pt2")                     # a graph plus weights, no Python class
served = torch.export.load("model.pt2").module()

x = torch.randn(64, 8)                                      # a batched request
with torch.inference_mode():
    assert torch.allclose(served(x), model(x), atol=1e-6)
    rows = torch.cat([served(x[i:i + 2]) for i in range(0, 64, 2)])
    assert torch.allclose(served(x), rows, atol=1e-6)       # batching does not change answers

fixed = torch.export.export(model, (example,)).module()     # no dynamic dims declared
try:
    fixed(x); failed = False                                # batch size was frozen at 4
except Exception:
    failed = True
assert failed
