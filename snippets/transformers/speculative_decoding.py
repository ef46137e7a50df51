import torch
torch.manual_seed(0)
V = 6
p = torch.randn(V).softmax(-1)          # big target model, next token
q = torch.randn(V).softmax(-1)          # small draft model
# draft samples x ~ q; keep it with probability min(1, p(x) / q(x));
# if rejected, sample from the leftover max(0, p - q), renormalised
accept = (p / q).clamp(max=1.0)
leftover = (p - q).clamp(min=0)
leftover = leftover / leftover.sum()
kept = q * accept                       # = min(p, q)
result = kept + (1 - kept.sum()) * leftover
assert torch.allclose(result, p, atol=1e-6)   # exactly the target
# the same by simulation, 200,000 draws
n = 200_000
x = torch.multinomial(q, n, replacement=True)
redo = torch.multinomial(leftover, n, replacement=True)
y = torch.where(torch.rand(n) < accept[x], x, redo)
freq = torch.bincount(y, minlength=V) / n
assert (freq - p).abs().max() < 0.01
rate = torch.minimum(p, q).sum()        # acceptance = 1 - TV(p, q)
assert torch.isclose(rate, 1 - 0.5 * (p - q).abs().sum())
print(f"output matches the target model; draft accepted {rate:.0%}")
