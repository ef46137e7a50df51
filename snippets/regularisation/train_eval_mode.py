import matplotlib.pyplot as plt
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32),
                      nn.Dropout(0.5), nn.Linear(32, 1))
x, bn = torch.randn(32, 10), model[1]
model.train()
assert not torch.equal(model(x), model(x))  # new dropout masks
before = bn.running_mean.clone()
with torch.no_grad():  # no_grad does NOT stop BN updating
    model(x)
assert not torch.equal(before, bn.running_mean)
try:
    model(x[:1]); raise AssertionError  # one example: no variance
except ValueError:
    pass
model.eval()
out = model(x)
assert torch.equal(out, model(x))  # deterministic
assert torch.allclose(model(x[:1]), out[:1], atol=1e-6)
assert out.requires_grad  # eval() does not switch off autograd
with torch.inference_mode():  # that is a separate switch
    assert not model(x).requires_grad
bn1, z = nn.BatchNorm1d(1), torch.randn(512, 1) * 2 + 5
train_out = bn1(z).detach()        # this batch's mean and variance
eval_out = bn1.eval()(z).detach()  # running averages: one update
assert not torch.allclose(train_out, eval_out, atol=0.5)
plt.hist([train_out[:, 0].round(decimals=2),
          eval_out[:, 0].round(decimals=2)], bins=30,
         label=["train(): batch stats", "eval(): running stats"])
plt.xlabel("BatchNorm output, same inputs"); plt.legend()
plt.savefig("batchnorm_train_eval.svg")
