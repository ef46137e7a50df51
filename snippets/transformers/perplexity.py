import math
import torch
import torch.nn.functional as F
torch.manual_seed(0)
V, T = 50, 200
targets = torch.randint(V, (T,))
logits = torch.randn(T, V)
nll = F.cross_entropy(logits, targets)       # mean over tokens
p_true = logits.softmax(-1)[torch.arange(T), targets]
ppl = nll.exp()  # = geometric mean of 1/p below
assert torch.isclose(ppl, (1 / p_true).log().mean().exp())
# a uniform guess over V tokens has perplexity exactly V
uniform = F.cross_entropy(torch.zeros(T, V), targets).exp()
assert torch.isclose(uniform, torch.tensor(float(V)))
# always right with probability 1 -> perplexity 1 (its minimum)
sure = F.cross_entropy(F.one_hot(targets, V) * 100.0, targets).exp()
assert torch.isclose(sure, torch.tensor(1.0))
# same text, same total NLL, two tokenisers: 12 vs 20 tokens
total_nll, words = 30.0, 8
per_tok = [math.exp(total_nll / n) for n in (12, 20)]
per_word = math.exp(total_nll / words)  # comparable across tokenisers
assert per_tok[0] > per_tok[1] > 1
print(f"uniform over {V}: {uniform:.1f}; random logits: {ppl:.1f}")
print(f"per-token PPL {per_tok[0]:.2f} vs {per_tok[1]:.2f}, "
      f"per-word {per_word:.2f}")
