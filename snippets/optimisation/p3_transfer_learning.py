import torch
import torch.nn as nn
bn = nn.BatchNorm2d(8)
backbone = nn.Sequential(nn.Conv2d(3, 8, 3), bn, nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten())              # stands in for a pre-trained ResNet
backbone.requires_grad_(False)                      # freeze the pre-trained features
head = nn.Linear(8, 5)                              # new classifier for the 5 new classes
model = nn.Sequential(backbone, head).train()
trainable = [p for p in model.parameters() if p.requires_grad]   # what the optimiser gets
assert sum(p.numel() for p in trainable) == 8 * 5 + 5
before = bn.running_mean.clone()
nn.functional.cross_entropy(model(torch.randn(4, 3, 16, 16)), torch.arange(4)).backward()
assert backbone[0].weight.grad is None and head.weight.grad is not None
assert not torch.equal(bn.running_mean, before)     # trap: BN statistics still drift!
backbone.eval()                                     # eval() is what freezes them
before = bn.running_mean.clone()
model(torch.randn(4, 3, 16, 16))
assert torch.equal(bn.running_mean, before)
