import torch
import torch.nn.functional as F
torch.manual_seed(0)
features = torch.nn.Sequential(                # 32x32 -> 8 maps, 4x4
    torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
    torch.nn.MaxPool2d(8))
head = torch.nn.Linear(8, 2)                   # after global avg pool
img = torch.randn(1, 3, 32, 32)
A = features(img)                              # last conv activations
A.retain_grad()
score = head(A.mean((2, 3)))[0, 1]             # class-1 logit
score.backward()
alpha = A.grad.mean((2, 3), keepdim=True)      # pooled gradients
cam = F.relu((alpha * A).sum(1))[0]            # Grad-CAM, 4x4
# with GAP + linear head, Grad-CAM equals CAM (Zhou et al., 2016)
cam_zhou = F.relu((head.weight[1].view(1, 8, 1, 1) * A).sum(1))[0]
assert torch.allclose(cam, cam_zhou / 16, atol=1e-6)
up = F.interpolate(cam[None, None], size=(32, 32), mode="bilinear")
assert cam.shape == (4, 4) and up.shape[-2:] == (32, 32)
print("Grad-CAM map:", tuple(cam.shape), "-> upsampled to",
      tuple(up.shape[-2:]), "(coarse by construction)")
