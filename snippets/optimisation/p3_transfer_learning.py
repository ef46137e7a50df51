import torch
import torch.nn as nn
bn = nn.BatchNorm2d(8)
backbone = nn.Sequential(      # stands in for a pre-trained ResNet
    nn.Conv2d(3, 8, 3), bn, nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten())
backbone.requires_grad_(False) # freeze the pre-trained features
head = nn.Linear(8, 5)         # new classifier for 5 new classes
model = nn.Sequential(backbone, head).train()
# only these go to the optimiser
trainable = [p for p in model.parameters() if p.requires_grad]
assert sum(p.numel() for p in trainable) == 8 * 5 + 5
before = bn.running_mean.clone()
out = model(torch.randn(4, 3, 16, 16))
nn.functional.cross_entropy(out, torch.arange(4)).backward()
assert backbone[0].weight.grad is None
assert head.weight.grad is not None
# trap: the BN statistics still drift!
assert not torch.equal(bn.running_mean, before)
backbone.eval()                # eval() is what freezes them
before = bn.running_mean.clone()
model(torch.randn(4, 3, 16, 16))
assert torch.equal(bn.running_mean, before)
