import torch
import torch.nn.functional as F
torch.manual_seed(0); N = 10
t = torch.randn(N, dtype=torch.float64) * 3   # teacher logits
z = (torch.randn(N).double() * 3).requires_grad_()  # student

def soft_grad(T):          # gradient of KL(teacher_T || student_T)
    kl = F.kl_div(F.log_softmax(z / T, -1), F.softmax(t / T, -1),
                  reduction="sum")
    g, = torch.autograd.grad(kl, z)
    return g

# exact: grad = (p_student - p_teacher) / T, which shrinks like 1/T^2
for T in (1.0, 4.0):
    p, q = F.softmax(z / T, -1), F.softmax(t / T, -1)
    assert torch.allclose(soft_grad(T), (p - q).detach() / T, atol=1e-6)
norms = {T: soft_grad(T).norm().item() for T in (1, 2, 4, 8, 16, 32)}
scaled = {T: n * T**2 for T, n in norms.items()}
assert norms[32] < norms[1] / 100          # unscaled: fades away
assert abs(scaled[32] / scaled[16] - 1) < 0.1   # x T^2: steady
# the high-T limit: T^2 * grad -> (z - t) / N for zero-mean logits
lim = ((z - z.mean()) - (t - t.mean())).detach() / N
assert (soft_grad(100.0) * 100**2 - lim).norm() < 0.05 * lim.norm()
print("T:      " + " ".join(f"{T:>5}" for T in norms))
print("T^2|g|: " + " ".join(f"{s:5.2f}" for s in scaled.values()))
