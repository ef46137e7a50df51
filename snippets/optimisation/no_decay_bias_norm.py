import torch
from torch import nn
torch.manual_seed(0)
def make():
    return nn.Sequential(nn.Linear(8, 16), nn.LayerNorm(16),
                         nn.ReLU(), nn.Linear(16, 2))
def run(model, exclude):
    params = list(model.parameters())
    # rule of thumb: matrices decay; 1-D params (biases, norms) don't
    groups = [{"params": [p for p in params if p.ndim >= 2]},
              {"params": [p for p in params if p.ndim < 2],
               "weight_decay": 0.0 if exclude else 0.1}]
    assert [len(g["params"]) for g in groups] == [2, 4]
    opt = torch.optim.AdamW(groups, lr=0.05, weight_decay=0.1)
    for _ in range(100):    # zero gradients: only the decay acts
        for p in params:
            p.grad = torch.zeros_like(p)
        opt.step()
    return model[1].weight  # the LayerNorm gain gamma, starts at 1
all_decay, excluded = run(make(), False), run(make(), True)
assert torch.allclose(all_decay, torch.tensor(0.995**100))  # -> 0
assert torch.equal(excluded, torch.ones(16))  # stays at 1
print(f"LayerNorm gamma after 100 decay-only steps: "
      f"{all_decay[0].item():.3f} (decayed) vs 1.000 (excluded)")
