# torch's and numpy's global state is back to the defaults.
import numpy as np
import torch

assert torch.get_default_dtype() == torch.float32
assert torch.is_grad_enabled()
assert not torch.are_deterministic_algorithms_enabled()
assert np.geterr()["divide"] == "warn"
print(torch.tensor([1 / 3]), np.array([1 / 3]), torch.get_num_threads())
