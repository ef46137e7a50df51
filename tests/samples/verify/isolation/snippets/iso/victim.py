# Fails if anything from an earlier snippet leaked; prints its seeded draws.
import builtins
import logging
import os
import random
import sys
import warnings

import numpy as np
import torch

assert "LEAK" not in globals()
assert not hasattr(builtins, "poison")
assert torch.get_default_dtype() == torch.float32
assert torch.is_grad_enabled()
assert not torch.are_deterministic_algorithms_enabled()
assert torch.get_num_threads() == int(os.environ["DECK_EXPECT_THREADS"])
assert "DECK_POISON" not in os.environ
assert "/poison" not in sys.path
assert sys.argv == [__file__]
assert sys.getrecursionlimit() >= 1000
assert os.listdir(".") == []
assert not logging.getLogger().handlers
assert warnings.filters[0][0] != "error" or not warnings.filters
assert np.geterr()["divide"] == "warn"
print(torch.tensor([1 / 3]), np.array([1 / 3]))
print(random.random(), np.random.rand(), torch.rand(1).item())
