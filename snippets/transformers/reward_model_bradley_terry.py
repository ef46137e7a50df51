import torch
import torch.nn.functional as F
torch.manual_seed(0)
d, n = 6, 1000
true_w = torch.randn(d)                   # hidden "human" preference
a, b = torch.randn(n, d), torch.randn(n, d)   # two answers per prompt
p_a = torch.sigmoid(a @ true_w - b @ true_w)  # Bradley-Terry labellers
a_wins = torch.rand(n) < p_a
chosen = torch.where(a_wins[:, None], a, b)
rejected = torch.where(a_wins[:, None], b, a)
w = torch.zeros(d, requires_grad=True)    # linear reward model r = w.x
for _ in range(40):                      # loss: -log sigmoid(r_w - r_l)
    loss = -F.logsigmoid(chosen @ w - rejected @ w).mean()
    loss.backward()
    with torch.no_grad():
        w -= 4.0 * w.grad; w.grad = None
cos = F.cosine_similarity(w.detach(), true_w, dim=0)
assert cos > 0.95                         # recovers the preference
# only differences count: a constant shift changes nothing
rw, rl = (chosen @ w).detach(), (rejected @ w).detach()
shifted = -F.logsigmoid((rw + 5) - (rl + 5)).mean()
assert torch.isclose(shifted, -F.logsigmoid(rw - rl).mean())
tie = -F.logsigmoid(torch.zeros(1))       # r_w = r_l costs log 2
assert torch.isclose(tie, torch.log(torch.tensor([2.0])))
print(f"cosine(learned, true) = {cos:.2f}; a tie costs log 2")
