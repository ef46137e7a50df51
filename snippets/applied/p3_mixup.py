import torch
import torch.nn.functional as F
torch.manual_seed(0)
x, y = torch.randn(8, 3, 4, 4), torch.randint(0, 5, (8,))
lam = torch.distributions.Beta(0.4, 0.4).sample().item()
perm = torch.randperm(8)
x_mix = lam * x + (1 - lam) * x[perm]  # blend image pairs
logits = torch.randn(8, 5)             # stand-in for model(x_mix)
soft = lam * F.one_hot(y, 5) + (1 - lam) * F.one_hot(y[perm], 5)
# = mixing the two hard-label losses with the same weight
pair = (lam * F.cross_entropy(logits, y)
        + (1 - lam) * F.cross_entropy(logits, y[perm]))
assert torch.isclose(F.cross_entropy(logits, soft), pair, atol=1e-6)
# MC dropout is an inference trick: outputs vary only if dropout
# stays on at test time
model = torch.nn.Sequential(torch.nn.Dropout(0.5),
                            torch.nn.Linear(5, 2))
inp = torch.randn(1, 5)
assert torch.equal(model.eval()(inp), model(inp))
mc = torch.stack([model.train()(inp) for _ in range(30)])
assert mc.std(0).max() > 0
