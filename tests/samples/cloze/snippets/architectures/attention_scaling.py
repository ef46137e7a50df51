import torch

d_k = 256
q, k = torch.randn(1000, d_k, device=DEVICE), torch.randn(1000, d_k, device=DEVICE)
scores = (q * k).sum(-1)
print(f"std of raw scores: {scores.std().item():.1f}, scaled: {(scores / d_k ** 0.5).std().item():.2f}  # a deliberately long line that must scroll on a phone instead of being cut off")
assert abs(scores.std().item() / d_k ** 0.5 - 1) < 0.2
price = 5
print(f"${price} <not a tag> {{literal braces}}")
