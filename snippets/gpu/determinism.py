import torch
def draw():
    torch.manual_seed(123)  # seeds the CPU and all CUDA devices
    return torch.randn(4, device=DEVICE)

assert torch.equal(draw(), draw())  # same seed, same numbers
if DEVICE == "cuda":  # separate generators: different numbers
    assert not torch.equal(draw().cpu(), torch.randn(4))
torch.use_deterministic_algorithms(True)  # (the runner resets it)
t = torch.zeros(3, device=DEVICE)
try:  # duplicate index, no accumulate: which write wins?
    t.put_(t[:2].long(), t[:2] + 1); raise AssertionError
except RuntimeError as e:
    assert "deterministic" in str(e)
