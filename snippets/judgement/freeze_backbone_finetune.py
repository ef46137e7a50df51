import torch
import torch.nn as nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128))
head = nn.Linear(128, 2)  # new head; the backbone is "pre-trained"
model = nn.Sequential(backbone, head).train()
backbone.requires_grad_(False)  # feature extraction: freeze it
stats = backbone[1].running_mean.clone()

x, y = torch.randn(16, 64), torch.randint(0, 2, (16,))
nn.functional.cross_entropy(model(x), y).backward()
assert all(p.grad is None for p in backbone.parameters())
trainable = [p.numel() for p in model.parameters()
             if p.requires_grad]
assert trainable == [128 * 2, 2]  # only the head's 258 weights
# ...but BatchNorm in train mode still moved its running stats:
assert not torch.equal(stats, backbone[1].running_mean)
backbone.eval()  # the fix: frozen BatchNorm layers in eval mode
stats = backbone[1].running_mean.clone()
model(x)
assert torch.equal(stats, backbone[1].running_mean)
