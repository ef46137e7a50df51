import math
import torch
import torch.nn as nn

torch.manual_seed(0)
logits, labels = torch.randn(8, 5), torch.randint(0, 5, (8,))
ce = nn.CrossEntropyLoss()  # applies log_softmax itself
by_hand = -torch.log_softmax(logits, 1)[range(8), labels].mean()
assert torch.allclose(ce(logits, labels), by_hand)
# softmax first = softmax twice: even perfect one-hot "probs"
floor = math.log(1 + 4 / math.e)  # log(1 + (C-1)/e) for C = 5
perfect = nn.functional.one_hot(labels, 5).float()
assert math.isclose(ce(perfect, labels).item(), floor, rel_tol=1e-6)
assert ce(logits.softmax(1), labels) > floor  # and no error

z, t = torch.tensor([-200.0], requires_grad=True), torch.ones(1)
good = nn.BCEWithLogitsLoss()(z, t)  # stable log-sigmoid inside
bad = nn.BCELoss()(torch.sigmoid(z), t)  # sigmoid(-200) == 0.0
assert good.item() == 200.0 and bad.item() == 100.0  # log clamped
assert torch.autograd.grad(good, z)[0] == -1.0
assert torch.autograd.grad(bad, z)[0] == 0.0  # gradient lost
