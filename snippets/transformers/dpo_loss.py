import torch
import torch.nn.functional as F
torch.manual_seed(0)
beta = 0.5
def dpo_loss(pi_w, pi_l, ref_w, ref_l):   # sequence log-probabilities
    margin = beta * ((pi_w - ref_w) - (pi_l - ref_l))
    return -F.logsigmoid(margin)
ref_w, ref_l = torch.tensor(-12.0), torch.tensor(-11.0)
# start: policy == reference, so the loss is log 2 whatever the data
assert torch.isclose(dpo_loss(ref_w, ref_l, ref_w, ref_l),
                     torch.log(torch.tensor(2.0)))
# only the margin counts: both log-probs can FALL and the loss improve
assert dpo_loss(ref_w - 1, ref_l - 3, ref_w, ref_l) < torch.log(
    torch.tensor(2.0))
# implicit reward: with pi* = ref * exp(r / beta) / Z (the RLHF optimum)
ref = torch.softmax(torch.randn(5), -1)      # 5 candidate answers
r = torch.randn(5)
pi_star = (ref.log() + r / beta).softmax(-1)
implicit = beta * (pi_star.log() - ref.log())  # = r - beta log Z
diff = implicit - r
assert torch.allclose(diff, diff[0].expand(5), atol=1e-5)
print(f"implicit reward = true reward + {diff[0]:.3f} for all answers")
