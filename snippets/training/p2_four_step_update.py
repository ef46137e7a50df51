import torch

torch.manual_seed(0)
x, y = torch.randn(16, 3), torch.randn(16, 1)

def grad_and_weight(model):
    model.zero_grad()                                      # 1. clear old gradients
    loss = torch.nn.functional.mse_loss(model(x), y)       # 2. forward + loss
    loss.backward()                                        # 3. backward: dL/dW
    return model.weight.grad.clone(), model.weight.detach().clone()

lr = 0.1
sgd_model = torch.nn.Linear(3, 1)
g, w0 = grad_and_weight(sgd_model)
torch.optim.SGD(sgd_model.parameters(), lr=lr).step()     # 4. update
assert torch.allclose(sgd_model.weight, w0 - lr * g)      # plain SGD: W <- W - lr * grad

adamw_model = torch.nn.Linear(3, 1)
g, w0 = grad_and_weight(adamw_model)
torch.optim.AdamW(adamw_model.parameters(), lr=lr, weight_decay=0.01).step()
# AdamW's first step: decoupled decay, then a step of ~lr * sign(grad), whatever |grad| is
expected = w0 * (1 - lr * 0.01) - lr * torch.sign(g)
assert torch.allclose(adamw_model.weight, expected, atol=1e-5)
assert not torch.allclose(adamw_model.weight, w0 - lr * g)
print("grad:", g)
print("AdamW step:", (adamw_model.weight - w0).detach())
