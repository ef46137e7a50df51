import matplotlib.pyplot as plt
import torch
torch.manual_seed(0)
d, T = 16, 6
layer = torch.nn.TransformerDecoderLayer(d, nhead=2, dropout=0.0,
    dim_feedforward=32, batch_first=True).eval()
memory = torch.randn(1, 4, d)   # encoder output (source sentence)
tgt = torch.randn(1, T, d)      # target tokens (teacher forcing)
mask = torch.nn.Transformer.generate_square_subsequent_mask(T)
assert torch.isinf(mask[0, 1]) and mask[1, 0] == 0  # -inf above
out = layer(tgt, memory, tgt_mask=mask)
tgt2 = torch.cat([tgt[:, :4], torch.randn(1, 2, d)], 1)  # new 4-5
out2 = layer(tgt2, memory, tgt_mask=mask)
out3 = layer(tgt, memory + 1.0, tgt_mask=mask)  # new source
leak = layer(tgt2, memory)          # forgot the mask
# positions 0-3 cannot see the "future" tokens 4-5 ...
assert torch.allclose(out[:, :4], out2[:, :4], atol=1e-6)
assert not torch.allclose(out[:, 4:], out2[:, 4:])
assert not torch.allclose(leak[:, :4], out[:, :4])  # ...unless unmasked
assert not torch.allclose(out3[:, 0], out[:, 0])  # source seen at 0
w = torch.softmax(tgt[0] @ tgt[0].T / d**0.5 + mask, dim=-1)
assert (w.triu(1) == 0).all()          # no weight on the future
plt.imshow(w, cmap="Blues"); plt.xlabel("key"); plt.ylabel("query")
plt.title("attention weights under a causal mask")
plt.colorbar(); plt.savefig("causal_attention.svg")
