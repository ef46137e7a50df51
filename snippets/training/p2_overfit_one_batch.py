import warnings
import torch

torch.manual_seed(0)
X, y = torch.randn(8, 5), torch.randn(8)      # ONE small batch, shape (8,) targets

def final_loss(shape_bug):
    net = torch.nn.Sequential(torch.nn.Linear(5, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    for _ in range(150):
        opt.zero_grad()
        pred = net(X) if shape_bug else net(X).squeeze(-1)   # (8, 1) vs (8,)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # torch only *warns* about broadcasting
            loss = torch.nn.functional.mse_loss(pred, y)
        loss.backward()
        opt.step()
    return loss.item()

assert final_loss(shape_bug=False) < 1e-3     # healthy pipeline memorises one batch
buggy = final_loss(shape_bug=True)            # (8,1) - (8,) broadcasts to (8, 8)
assert abs(buggy - y.var(unbiased=False).item()) < 1e-2  # stuck predicting the mean
print(f"loss with the shape bug: {buggy:.3f}")
