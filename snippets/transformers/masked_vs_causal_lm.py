import torch
import torch.nn.functional as F
torch.manual_seed(0)
V, MASK, T = 1000, 0, 4000                 # vocab, [MASK] id, tokens
ids = torch.randint(1, V, (T,))
# causal LM: predict token t+1 from tokens <= t, at EVERY position
clm_inputs, clm_labels = ids[:-1], ids[1:]
# masked LM (BERT): pick 15%; of those 80% [MASK], 10% random, 10% kept
picked = torch.rand(T) < 0.15
r = torch.rand(T)
mlm_inputs = ids.clone()
mlm_inputs[picked & (r < 0.8)] = MASK
swap = picked & (r >= 0.8) & (r < 0.9)
mlm_inputs[swap] = torch.randint(1, V, (int(swap.sum()),))
mlm_labels = torch.where(picked, ids, -100)   # loss only where picked
logits = torch.randn(T, V)
loss = F.cross_entropy(logits, mlm_labels, ignore_index=-100)
hand = F.cross_entropy(logits[picked], ids[picked])
assert torch.isclose(loss, hand)          # the other 85% add nothing
share = picked.float().mean()
assert abs(share - 0.15) < 0.02 and len(clm_labels) == T - 1
assert abs((mlm_inputs[picked] == MASK).float().mean() - 0.8) < 0.05
print(f"positions with a loss: causal {(T - 1) / T:.0%}, "
      f"masked {share:.0%}")
