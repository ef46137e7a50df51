import math
import torch
# a toy 2-step language model over tokens {0, 1, 2}
first = torch.tensor([0.5, 0.4, 0.1])
second = {0: torch.tensor([0.4, 0.3, 0.3]),   # after 0: unsure
          1: torch.tensor([0.9, 0.05, 0.05]),  # after 1: confident
          2: torch.tensor([1 / 3] * 3)}
def step(prefix):                  # log P(next | prefix)
    return (first if not prefix else second[prefix[-1]]).log()

def beam_search(width, length=2):
    beams = [((), 0.0)]            # (tokens, log-probability)
    for _ in range(length):
        grown = [(seq + (t,), lp + step(seq)[t].item())
                 for seq, lp in beams for t in range(3)]
        beams = sorted(grown, key=lambda b: -b[1])[:width]
    return beams[0]

greedy, beam = beam_search(width=1), beam_search(width=2)
assert greedy[0] == (0, 0) and abs(math.exp(greedy[1]) - 0.2) < 1e-6
assert beam[0] == (1, 0) and abs(math.exp(beam[1]) - 0.36) < 1e-6
exhaustive = beam_search(width=9)   # every sequence kept
assert beam == exhaustive
print(f"greedy {greedy[0]} p={math.exp(greedy[1]):.2f}; "
      f"beam 2 {beam[0]} p={math.exp(beam[1]):.2f}")
