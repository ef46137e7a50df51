import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.Dropout(0.5))
bn, x = model[1], torch.randn(32, 4) + 5.0

def val_loss_leaky(m):                # like the seed's helper: never switches back
    m.eval()
    with torch.no_grad():
        return m(x).pow(2).mean().item()

def val_loss_safe(m):
    was_training = m.training
    try:
        return val_loss_leaky(m)
    finally:
        m.train(was_training)         # restore whatever mode the caller had

model.train()
val_loss_safe(model)
assert model.training and bn.training

val_loss_leaky(model)                 # ...and then the training loop carries on
before = bn.running_mean.clone()
out = model(x)
assert not model.training                         # silently still in eval mode
assert torch.equal(bn.running_mean, before)       # BN no longer updates its statistics
assert torch.equal(out, model(x))                 # dropout is off: output is deterministic
print("model.training after the leaky helper:", model.training)
