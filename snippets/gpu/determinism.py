import torch

def draw():
    torch.manual_seed(123)                   # seeds the CPU and every CUDA generator
    return torch.randn(4, device=DEVICE), torch.rand(2, device=DEVICE)

assert all(torch.equal(p, q) for p, q in zip(draw(), draw()))  # same seed, same numbers
if DEVICE == "cuda":
    assert torch.cuda.initial_seed() == 123
    torch.manual_seed(123)
    cpu = torch.randn(4)
    torch.cuda.manual_seed_all(123)
    assert not torch.equal(cpu, torch.randn(4, device="cuda").cpu())  # different generators

previous = torch.are_deterministic_algorithms_enabled()
torch.use_deterministic_algorithms(True)
try:
    t = torch.zeros(5, device=DEVICE)
    idx, src = torch.tensor([0, 0], device=DEVICE), torch.tensor([1.0, 2.0], device=DEVICE)
    try:                                     # duplicate index, no accumulate: which write wins?
        t.put_(idx, src); raise AssertionError("expected RuntimeError")
    except RuntimeError as e:
        assert "deterministic" in str(e)
    if DEVICE == "cpu":                      # accumulate=True: deterministic on CPU (raises on CUDA)
        assert t.put_(idx, src, accumulate=True)[0] == 3.0
finally:
    torch.use_deterministic_algorithms(previous)
