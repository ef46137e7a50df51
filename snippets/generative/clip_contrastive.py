import math
import torch
import torch.nn.functional as F
torch.manual_seed(0)
N, d = 6, 32
img = F.normalize(torch.randn(N, d), dim=1)  # image embeddings
txt = F.normalize(img + 0.5 * torch.randn(N, d), dim=1)  # captions
log_scale = torch.tensor(math.log(1 / 0.07))  # learnable 1/temperature
logits = log_scale.exp().clamp(max=100) * img @ txt.T
labels = torch.arange(N)  # image i belongs with caption i
loss = (F.cross_entropy(logits, labels)  # image -> which caption
        + F.cross_entropy(logits.T, labels)) / 2  # caption -> image
i2t = -(logits.diag() - logits.logsumexp(dim=1)).mean()
t2i = -(logits.diag() - logits.logsumexp(dim=0)).mean()
assert torch.isclose(loss, (i2t + t2i) / 2)
# zero-shot: embed one prompt per class, pick the most similar
protos = F.normalize(torch.randn(3, d), dim=1)  # "a photo of a {c}"
y = torch.randint(0, 3, (50,))
imgs = F.normalize(protos[y] + 0.1 * torch.randn(50, d), dim=1)
pred = (imgs @ protos.T).argmax(dim=1)
assert (pred == y).float().mean() > 0.9
print(f"symmetric CLIP loss {loss:.3f}; zero-shot accuracy "
      f"{(pred == y).float().mean():.0%}")
