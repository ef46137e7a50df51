import warnings
import torch

torch.manual_seed(0)
X, y = torch.randn(8, 5), torch.randn(8)      # ONE small batch, shape (8,) targets

def first_and_last_loss(shape_bug):
    net = torch.nn.Sequential(torch.nn.Linear(5, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for _ in range(150):
        opt.zero_grad()
        pred = net(X) if shape_bug else net(X).squeeze(-1)   # (8, 1) vs (8,)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # torch only *warns* about broadcasting
            loss = torch.nn.functional.mse_loss(pred, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses[0], losses[-1]

assert first_and_last_loss(shape_bug=False)[1] < 1e-3  # healthy pipeline memorises one batch
first, buggy = first_and_last_loss(shape_bug=True)     # (8,1) - (8,) broadcasts to (8, 8)
assert buggy < first                          # the loss still falls, so it looks fine...
assert abs(buggy - y.var(unbiased=False).item()) < 1e-2  # ...but stalls at var(y)
print(f"loss with the shape bug: {buggy:.3f}")
