# Seeded from the card id: the same draws whatever ran before.
import random

import numpy as np
import torch

print(random.random(), np.random.rand(), torch.rand(1).item())
print({"b", "a", "c"})
