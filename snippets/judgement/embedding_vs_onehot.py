import torch

torch.manual_seed(0)
n_codes, dim = 20_000, 32  # e.g. distinct diagnosis and drug codes, 32 learned numbers each
emb = torch.nn.Embedding(n_codes, dim)
codes = torch.tensor([17, 4051, 19_999])

# A lookup equals a one-hot row times the weight matrix, without building 20,000-wide vectors.
one_hot = torch.nn.functional.one_hot(codes, n_codes).float()
assert torch.allclose(emb(codes), one_hot @ emb.weight)
assert emb(codes).shape == (3, dim) and emb.weight.numel() == n_codes * dim

# Patients carry different numbers of codes: EmbeddingBag averages each patient's rows.
bag = torch.nn.EmbeddingBag(n_codes, dim, mode="mean")
flat = torch.tensor([5, 900, 12_345, 77, 5])  # patient A: 3 codes, patient B: 2 codes
offsets = torch.tensor([0, 3])
out = bag(flat, offsets)
assert out.shape == (2, dim)
assert torch.allclose(out[0], bag.weight[[5, 900, 12_345]].mean(0))
assert torch.allclose(out[1], bag.weight[[77, 5]].mean(0))
print("one-hot width:", one_hot.shape[1], "-> dense patient vector:", tuple(out.shape))
