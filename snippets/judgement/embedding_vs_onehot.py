import torch

torch.manual_seed(0)
n_codes, dim = 20_000, 32  # e.g. diagnosis and drug codes
emb = torch.nn.Embedding(n_codes, dim)
codes = torch.tensor([17, 4051, 19_999])
one_hot = torch.nn.functional.one_hot(codes, n_codes).float()
# lookup = one-hot row @ weights, without the 20,000-wide vector
assert torch.allclose(emb(codes), one_hot @ emb.weight)

# patients carry different numbers of codes: average each one's rows
bag = torch.nn.EmbeddingBag(n_codes, dim, mode="mean")
flat = torch.tensor([5, 900, 12_345, 77, 5])  # A: 3 codes, B: 2
out = bag(flat, offsets=torch.tensor([0, 3]))
assert out.shape == (2, dim)
assert torch.allclose(out[0], bag.weight[[5, 900, 12_345]].mean(0))
assert torch.allclose(out[1], bag.weight[[77, 5]].mean(0))
