import matplotlib.pyplot as plt
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32),
                      nn.Dropout(0.5), nn.Linear(32, 1))
x, bn = torch.randn(32, 10), model[1]
model.train(); assert not torch.equal(model(x), model(x))  # dropout
before = bn.running_mean.clone()
with torch.no_grad(): model(x)  # no_grad does NOT stop BN updating
assert not torch.equal(before, bn.running_mean)
try: model(x[:1]); raise AssertionError  # one example: no variance
except ValueError: pass
out = model.eval()(x)
assert torch.equal(out, model(x))  # deterministic
assert torch.allclose(model(x[:1]), out[:1], atol=1e-6)
assert out.requires_grad  # eval() keeps autograd; inference_mode:
with torch.inference_mode(): assert not model(x).requires_grad
bn1, z = nn.BatchNorm1d(1), torch.randn(512, 1) * 2 + 5
outs = torch.cat([bn1(z), bn1.eval()(z)], 1).detach()  # train, eval
assert not torch.allclose(outs[:, 0], outs[:, 1], atol=0.5)
plt.hist(outs.round(decimals=2), bins=30,
         label=["train(): batch stats", "eval(): running stats"])
plt.xlabel("BatchNorm output, same inputs"); plt.legend()
plt.savefig("batchnorm_train_eval.svg")
