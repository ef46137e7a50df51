import torch
torch.manual_seed(0)
img = torch.zeros(1, 1, 16, 16)
img[..., 4:12, 4:12] = 1.0                  # a bright square (input)
def net():                                  # conv, ReLU, linear head
    return torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1),
                               torch.nn.ReLU(), torch.nn.Flatten(),
                               torch.nn.Linear(4 * 256, 1))
def maps(model):              # |gradient| and |gradient x input|
    x = img.clone().requires_grad_()
    model(x).sum().backward()
    return x.grad.abs().flatten(), (x.grad * x).abs().flatten()
def corr(a, b):               # how alike two maps look
    return torch.corrcoef(torch.stack([a, b]))[0, 1].item()
model = net()                 # the model under study ...
grad, gxi = maps(model)
sims = []
for _ in range(10):           # ... against re-initialised copies
    grad_r, gxi_r = maps(net())
    sims.append((corr(grad, grad_r), corr(gxi, gxi_r)))
g, gx = torch.tensor(sims).mean(0).tolist()
assert abs(g) < 0.2           # gradient maps: unrelated, as they should
assert gx > 0.4               # grad x input: alike, it shows the image
print("gradient x input barely depends on the weights: it fails the "
      "model-randomisation test")
