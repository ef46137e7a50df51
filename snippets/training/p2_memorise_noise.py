import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
X = torch.randn(400, 10)
y = torch.randint(0, 2, (400,))     # pure-noise labels: no signal
X_tr, y_tr, X_te, y_te = X[:200], y[:200], X[200:], y[200:]

net = nn.Sequential(nn.Linear(10, 256), nn.ReLU(), nn.Linear(256, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for _ in range(150):                # full-batch training
    opt.zero_grad()
    F.cross_entropy(net(X_tr), y_tr).backward()
    opt.step()

with torch.no_grad():
    train_acc = (net(X_tr).argmax(1) == y_tr).float().mean().item()
    test_acc = (net(X_te).argmax(1) == y_te).float().mean().item()
assert train_acc == 1.0             # memorised every random label
assert abs(test_acc - 0.5) < 0.15   # chance on new data
print(f"train acc {train_acc:.2f}, test acc {test_acc:.2f}")
