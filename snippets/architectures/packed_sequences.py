import torch
from torch.nn.utils.rnn import (pack_padded_sequence,
                                pad_packed_sequence, pad_sequence)
torch.manual_seed(0)
lstm = torch.nn.LSTM(3, 5, batch_first=True)
seqs = [torch.randn(n, 3) for n in (6, 2, 4)]  # variable lengths
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)  # zeros after each end
packed = pack_padded_sequence(padded, lengths, batch_first=True,
                              enforce_sorted=False)
out_p, (h_packed, _) = lstm(packed)
_, (h_padded, _) = lstm(padded)  # runs on through the padding
for i, s in enumerate(seqs):
    _, (h_alone, _) = lstm(s[None])  # each sequence on its own
    assert torch.allclose(h_packed[0, i], h_alone[0, 0], atol=1e-6)
    if len(s) < 6:  # padded run: state after extra zero steps
        assert not torch.allclose(h_padded[0, i], h_alone[0, 0],
                                  atol=1e-3)
out, lens = pad_packed_sequence(out_p, batch_first=True)
assert torch.equal(lens, lengths) and (out[1, 2:] == 0).all()
print("packed final states == each sequence run alone; "
      "padded ones differ")
