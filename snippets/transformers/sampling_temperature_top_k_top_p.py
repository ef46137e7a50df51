import torch
NEG = float("-inf")
def next_token_probs(logits, T=1.0, k=None, p=None):
    z = logits / T                       # temperature first
    if k:                                # top-k: keep the k largest
        z = z.masked_fill(z < z.topk(k).values[-1], NEG)
    if p:                       # top-p: smallest set with mass >= p
        sp, idx = z.softmax(-1).sort(descending=True)
        drop = sp.cumsum(-1) - sp >= p   # mass before this token >= p
        z = z.clone(); z[idx[drop]] = NEG
    return z.softmax(-1)

logits = torch.tensor([3.0, 2.0, 1.0, 0.5, -1.0, -2.0])
cold = next_token_probs(logits, T=0.05)   # T -> 0: greedy
hot = next_token_probs(logits, T=100.0)   # T -> inf: uniform
assert cold.argmax() == 0 and cold[0] > 0.99
assert torch.allclose(hot, torch.full((6,), 1 / 6), atol=0.01)
assert torch.equal(hot.argsort(), logits.argsort())  # order kept
assert (next_token_probs(logits, k=2) > 0).sum() == 2
# top-p adapts: 1 token if the model is sure, all 6 if it is not
sure, unsure = torch.tensor([6.0, 1, 0, 0, 0, 0]), torch.zeros(6)
kept = [(next_token_probs(z, p=0.9) > 0).sum().item()
        for z in (sure, unsure)]
assert kept == [1, 6]
print(f"top-p 0.9 keeps {kept[0]} token (peaked), {kept[1]} (flat)")
