import torch
from sklearn.linear_model import LogisticRegression

neuron = torch.nn.Linear(3, 1)
with torch.no_grad():
    neuron.weight.copy_(torch.tensor([[0.5, -1.0, 2.0]]))
    neuron.bias.fill_(0.1)
a = torch.sigmoid(neuron(torch.tensor([1.0, 2.0, 0.5])))
z = 0.5 * 1.0 + (-1.0) * 2.0 + 2.0 * 0.5 + 0.1   # w.x + b by hand
assert torch.isclose(a, 1 / (1 + torch.exp(torch.tensor([-z]))))

# one neuron's boundary w.x + b = c is a straight line: XOR beats it
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
y_xor = torch.tensor([0., 1., 1., 0.])
single = LogisticRegression(C=1e6).fit(X.numpy(), y_xor.numpy())
assert single.score(X.numpy(), y_xor.numpy()) <= 0.75  # <= 3 of 4

# two hidden ReLU neurons plus one output neuron solve it exactly
s = X.sum(1)
assert torch.equal(torch.relu(s) - 2 * torch.relu(s - 1), y_xor)
print("sigmoid(w.x + b) =", round(a.item(), 4))
