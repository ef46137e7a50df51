import torch

def advantages(r, eps=1e-6):   # normalise within each prompt's group
    mean, std = r.mean(-1, keepdim=True), r.std(-1, keepdim=True)
    return (r - mean) / (std + eps)

rewards = torch.tensor([          # 8 sampled answers for 3 prompts
    [1.0, 0, 0, 1, 0, 0, 0, 1],   # 3 of 8 correct
    [1.0, 1, 1, 1, 1, 1, 1, 1],   # all correct
    [0.2, 0.9, 0.4, 0.7, 0.1, 0.5, 0.3, 0.8]])  # a graded score
A = advantages(rewards)
assert torch.allclose(A.sum(-1), torch.zeros(3), atol=1e-5)
right = rewards[0] == 1           # the group mean is the baseline:
assert (A[0][right] > 0).all() and (A[0][~right] < 0).all()
assert (A[1] == 0).all()          # all agree: no learning signal
# shift and positive scale of the reward change nothing
assert torch.allclose(advantages(3 * rewards[2] + 10), A[2],
                      atol=1e-4)
# dividing by std blows tiny reward gaps up to full size
tiny = advantages(torch.tensor([0.50, 0.51, 0.50, 0.51]))
assert tiny.abs().min() > 0.8
# every token of answer i gets A_i in a PPO-style clipped loss
print("3 of 8 right:", " ".join(f"{a:+.2f}" for a in A[0]))
