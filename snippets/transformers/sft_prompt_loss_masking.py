import torch
import torch.nn.functional as F
torch.manual_seed(0)
V = 30
prompt = torch.tensor([5, 9, 2, 7, 7, 3])     # user's instruction
answer = torch.tensor([11, 4, 8, 1])          # the response (+ EOS)
ids = torch.cat([prompt, answer])
logits = torch.randn(len(ids), V, requires_grad=True)
# position t predicts token t+1; shift, then hide the prompt targets
labels = ids[1:].clone()
labels[: len(prompt) - 1] = -100              # targets inside prompt
loss = F.cross_entropy(logits[:-1], labels, ignore_index=-100)
# the same as averaging over the answer tokens only
start = len(prompt) - 1                       # predicts answer[0]
hand = F.cross_entropy(logits[start:-1], answer)
assert torch.isclose(loss, hand)
loss.backward()
g = logits.grad.abs().sum(-1)
assert (g[:start] == 0).all()                 # prompt: no signal
assert (g[start:-1] > 0).all()                # answer: all of it
print(f"{len(answer)} of {len(ids) - 1} next-token targets "
      f"carry loss")
