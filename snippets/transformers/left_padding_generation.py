import torch
torch.manual_seed(0)
V, d, P = 20, 16, 8                    # vocab, width, positions
tok, pos = torch.nn.Embedding(V, d), torch.nn.Embedding(P, d)
Wq, Wk, Wv = (torch.randn(d, d) / d**0.5 for _ in range(3))
head = torch.nn.Linear(d, V)
def next_logits(ids, keep, position):  # one causal layer, last slot
    x, n = tok(ids) + pos(position), ids.shape[-1]
    s = (x @ Wq) @ (x @ Wk).transpose(-1, -2) / d**0.5
    ok = torch.ones(n, n).tril().bool() & keep[:, None, :]
    att = s.masked_fill(~ok, float("-inf")).softmax(-1).nan_to_num()
    return head((att @ (x @ Wv))[:, -1])   # pad rows are all-masked
prompt, PAD = torch.tensor([[3, 7, 5]]), 0
alone = next_logits(prompt, torch.ones(1, 3).bool(), torch.arange(3))
left = torch.tensor([[PAD, PAD, 3, 7, 5]])   # padded to length 5
keep = torch.tensor([[0, 0, 1, 1, 1]]).bool()  # the attention mask
shifted = (keep.cumsum(-1) - 1).clamp(min=0)  # positions 0,0,0,1,2
assert torch.allclose(next_logits(left, keep, shifted), alone,
                      atol=1e-6)             # identical prediction
assert not torch.allclose(next_logits(left, keep, torch.arange(5)),
                          alone, atol=1e-3)  # positions not shifted
right = torch.tensor([[3, 7, 5, PAD, PAD]])  # last slot is a pad
out = next_logits(right, keep.flip(-1), torch.arange(5))
assert not torch.allclose(out, alone, atol=1e-3)
print("left padding + mask + shifted positions == unpadded prompt")
