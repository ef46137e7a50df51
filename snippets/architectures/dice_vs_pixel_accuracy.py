import torch
torch.manual_seed(0)
target = torch.zeros(64, 64)
target[20:28, 30:38] = 1  # a lesion covering 1.6% of the pixels

def dice(p, t, eps=1e-6):  # soft Dice: p may be probabilities
    return (2 * (p * t).sum() + eps) / (p.sum() + t.sum() + eps)

empty = torch.zeros_like(target)  # "no lesion anywhere"
acc = (empty == target).float().mean()
assert acc > 0.98 and dice(empty, target) < 1e-3
half = target.clone()
half[24:28] = 0  # finds half of the lesion
assert (half == target).float().mean() > 0.99  # accuracy barely moves
assert torch.isclose(dice(half, target), torch.tensor(2 / 3))
# soft Dice loss is differentiable and rewards the rare class
logits = torch.zeros(64, 64, requires_grad=True)
(1 - dice(torch.sigmoid(logits), target)).backward()
assert (logits.grad[target == 1] < 0).all()  # push lesion up
print(f"empty mask: accuracy {acc:.3f}, Dice {dice(empty, target):.3f}")
print(f"half lesion: Dice {dice(half, target):.3f}")
