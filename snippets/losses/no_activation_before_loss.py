import math
import torch
import torch.nn as nn

torch.manual_seed(0)
logits, labels = torch.randn(8, 5), torch.randint(0, 5, (8,))
ce = nn.CrossEntropyLoss()  # applies log_softmax itself
assert torch.allclose(ce(logits, labels), -torch.log_softmax(logits, 1)[range(8), labels].mean())

# Softmax first = softmax twice. Inputs squeezed into [0, 1] put a floor under the loss:
# even a perfect one-hot "probability" scores log(1 + (C - 1) / e), never 0.
perfect = nn.functional.one_hot(labels, 5).float()
assert math.isclose(ce(perfect, labels).item(), math.log(1 + 4 / math.e), rel_tol=1e-6)
assert ce(torch.softmax(logits, 1), labels) > math.log(1 + 4 / math.e)  # no error raised

# Binary: BCEWithLogitsLoss applies the sigmoid inside, in a numerically stable form.
z = torch.tensor([-200.0, 3.0], requires_grad=True)
t = torch.tensor([1.0, 0.0])
exact = nn.BCEWithLogitsLoss(reduction="none")(z, t)
assert torch.allclose(exact, torch.tensor([200.0, 3 + math.log1p(math.exp(-3))]))
assert torch.autograd.grad(exact[0], z)[0][0] == -1.0  # full gradient on a confidently wrong logit
naive = nn.BCELoss(reduction="none")(torch.sigmoid(z), t)
assert naive[0].item() == 100.0   # sigmoid underflows to 0; BCELoss clamps log(0) to -100
assert torch.autograd.grad(naive[0], z)[0][0] == 0.0   # ...and the gradient is gone
