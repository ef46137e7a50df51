import torch
import torch.nn as nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU())  # "pre-trained"
head = nn.Linear(128, 2)                                                      # new task head
model = nn.Sequential(backbone, head).train()
for p in backbone.parameters():              # feature extraction: freeze the backbone
    p.requires_grad_(False)
frozen, stats = [p.clone() for p in backbone.parameters()], backbone[1].running_mean.clone()

x, y = torch.randn(16, 64), torch.randint(0, 2, (16,))
nn.functional.cross_entropy(model(x), y).backward()
with torch.no_grad():                        # one plain SGD step on the trainable weights
    for p in head.parameters():
        p -= 0.1 * p.grad

assert all(p.grad is None for p in backbone.parameters())  # no gradient work for frozen layers
assert all(torch.equal(a, b) for a, b in zip(frozen, backbone.parameters()))
assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 128 * 2 + 2
assert not torch.equal(stats, backbone[1].running_mean)    # but frozen BN stats still moved!
backbone.eval()                              # the fix: frozen BatchNorm layers in eval mode
stats = backbone[1].running_mean.clone()
model(x)
assert torch.equal(stats, backbone[1].running_mean)
