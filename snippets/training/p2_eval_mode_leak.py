import torch
from torch import nn
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8),
                      nn.Dropout(0.5))
bn, x = model[1], torch.randn(32, 4) + 5.0
def val_loss_leaky(m):       # a typical helper: no way back
    with torch.no_grad():
        return m.eval()(x).pow(2).mean().item()
def val_loss_safe(m):
    was_training = m.training
    try:
        return val_loss_leaky(m)
    finally:
        m.train(was_training)  # restore the caller's mode
val_loss_safe(model.train())
assert model.training and bn.training
val_loss_leaky(model)        # ...then the training loop carries on
before = bn.running_mean.clone()
out = model(x)
assert not model.training                    # silently in eval mode
assert torch.equal(bn.running_mean, before)  # BN stats frozen
assert torch.equal(out, model(x))            # dropout is off
print("model.training after the leaky helper:", model.training)
