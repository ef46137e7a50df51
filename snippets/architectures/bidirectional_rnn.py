import torch
torch.manual_seed(0)
B, T, D, H = 2, 6, 3, 4
rnn = torch.nn.GRU(D, H, batch_first=True, bidirectional=True)
x = torch.randn(B, T, D)
out, h_n = rnn(x)  # out: (B, T, 2H) = [forward | backward] per step
assert out.shape == (B, T, 2 * H) and h_n.shape == (2, B, H)
fwd, bwd = out[..., :H], out[..., H:]
assert torch.allclose(h_n[0], fwd[:, -1])  # forward ends at t = T-1
assert torch.allclose(h_n[1], bwd[:, 0])   # backward ends at t = 0
# the backward half is a second GRU run over the reversed sequence
rev = torch.nn.GRU(D, H, batch_first=True)
for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
    getattr(rev, name + "_l0").data = getattr(rnn, name + "_l0_reverse")
assert torch.allclose(rev(x.flip(1))[0].flip(1), bwd, atol=1e-6)
# out[:, -1]'s backward half has read only the last token
last_only = rnn(x[:, -1:])[0][..., H:]
assert torch.allclose(bwd[:, -1:], last_only, atol=1e-6)
summary = torch.cat([h_n[0], h_n[1]], dim=1)  # use this instead
assert summary.shape == (B, 2 * H)
print("h_n = [forward state at t=T-1, backward state at t=0]")
