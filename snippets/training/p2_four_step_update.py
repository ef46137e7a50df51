import torch
import torch.nn.functional as F
torch.manual_seed(0)
x, y = torch.randn(16, 3), torch.randn(16, 1)
def grad_and_weight(model):
    model.zero_grad()                    # 1. clear old gradients
    loss = F.mse_loss(model(x), y)       # 2. forward pass + loss
    loss.backward()                      # 3. backward: dL/dW
    return model.weight.grad.clone(), model.weight.detach().clone()
lr, wd = 0.1, 0.01
sgd = torch.nn.Linear(3, 1)
g, w0 = grad_and_weight(sgd)
torch.optim.SGD(sgd.parameters(), lr=lr).step()   # 4. update
assert torch.allclose(sgd.weight, w0 - lr * g)    # W - lr * grad
adamw = torch.nn.Linear(3, 1)
g, w0 = grad_and_weight(adamw)
torch.optim.AdamW(adamw.parameters(), lr=lr, weight_decay=wd).step()
expected = w0 * (1 - lr * wd) - lr * g.sign()  # decay, lr * sign(g)
assert torch.allclose(adamw.weight, expected, atol=1e-5)
assert not torch.allclose(adamw.weight, w0 - lr * g)
step = (adamw.weight - w0).detach()[0].numpy().round(3)
print(f"grad {g[0].numpy().round(3)} -> AdamW step {step}")
