import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(8, 3, 4, 4)                          # a batch of images
y = torch.randint(0, 5, (8,))
lam = torch.distributions.Beta(0.4, 0.4).sample().item()
perm = torch.randperm(8)
x_mix = lam * x + (1 - lam) * x[perm]                 # blend each image with a partner
assert x_mix.shape == x.shape

logits = torch.randn(8, 5)                            # stand-in for model(x_mix)
soft = lam * F.one_hot(y, 5) + (1 - lam) * F.one_hot(y[perm], 5)   # blended labels
loss_soft = F.cross_entropy(logits, soft)
# the usual implementation: mix the two hard-label losses with the same weight
loss_pair = lam * F.cross_entropy(logits, y) + (1 - lam) * F.cross_entropy(logits, y[perm])
assert torch.isclose(loss_soft, loss_pair, atol=1e-6)

model = torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(5, 2))
inp = torch.randn(1, 5)
model.eval()                                          # MC dropout is an INFERENCE trick:
assert torch.equal(model(inp), model(inp))            # eval: deterministic
model.train()                                         # dropout on at test time, T passes
samples = torch.stack([model(inp) for _ in range(50)])
assert samples.std(0).max() > 0                       # spread = an uncertainty estimate
print(f"lambda {lam:.2f}; MC-dropout std {samples.std(0).squeeze().tolist()}")
