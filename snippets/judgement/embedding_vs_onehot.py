import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingClassifier as HGB
torch.manual_seed(0)
n_codes, dim = 20_000, 32  # e.g. diagnosis and drug codes
emb = torch.nn.Embedding(n_codes, dim)
codes = torch.tensor([17, 4051, 19_999])
one_hot = torch.nn.functional.one_hot(codes, n_codes).float()
assert torch.allclose(emb(codes), one_hot @ emb.weight)  # a lookup
# patients carry different numbers of codes: average their rows
bag = torch.nn.EmbeddingBag(n_codes, dim, mode="mean")
flat = torch.tensor([5, 900, 12_345, 77, 5])  # A: 3 codes, B: 2
out = bag(flat, offsets=torch.tensor([0, 3]))
assert out.shape == (2, dim)
assert torch.allclose(out[1], bag.weight[[77, 5]].mean(0))
out.sum().backward()  # rows are independent parameters:
moved = bag.weight.grad.abs().sum(1).nonzero().flatten().tolist()
assert moved == [5, 77, 900, 12_345]  # only codes in the batch
X, y = (np.arange(600) % 300)[:, None], np.arange(600) % 2
try:
    HGB(categorical_features=[0]).fit(X, y); raise AssertionError
except ValueError:  # scikit-learn: <= 255 categories a feature
    print(f"{len(moved)} of {n_codes:,} rows got a gradient; "
          "HistGradientBoosting refuses 300 categories")
