import torch
torch.manual_seed(0)
def fq(w, bits=2):  # fake-quantise rows, with a straight-through grad
    qmax = 2 ** (bits - 1) - 1
    s = w.detach().abs().amax(1, keepdim=True) / qmax
    q = torch.clamp(torch.round(w / s), -qmax, qmax) * s
    return w + (q - w).detach()  # forward: q; backward: identity
X = torch.randn(256, 8)
y = torch.sin(X @ torch.randn(8, 1))
W1 = (torch.randn(64, 8) / 3).requires_grad_()
W2 = (torch.randn(1, 64) / 8).requires_grad_()
def loss(q=lambda w: w):
    return ((torch.relu(X @ q(W1).T) @ q(W2).T - y) ** 2).mean()
def train(steps, lr, q=lambda w: w):
    opt = torch.optim.Adam([W1, W2], lr=lr)
    for _ in range(steps):
        opt.zero_grad(); loss(q).backward(); opt.step()
train(100, 2e-2)                    # float training
fp, ptq = loss().item(), loss(fq).item()  # PTQ: round afterwards
train(50, 1e-3, fq)                 # QAT: fine-tune through rounding
qat = loss(fq).item()
g = torch.autograd.grad(fq(W1).sum(), W1)[0]
assert torch.equal(g, torch.ones_like(g))  # round() passes grad 1
assert qat < 0.7 * ptq
print(f"MSE float {fp:.2f}; ternary: PTQ {ptq:.2f}, QAT {qat:.2f}")
