# Changes every piece of global state the worker promises to restore.
import logging
import os
import random
import sys
import warnings

import numpy as np
import torch

LEAK = "poison"
torch.set_default_dtype(torch.float64)
torch.set_grad_enabled(False)
torch.set_num_threads(torch.get_num_threads() + 1)
torch.use_deterministic_algorithms(True)
torch.set_printoptions(precision=1)
np.set_printoptions(precision=1)
np.seterr(all="raise")
warnings.simplefilter("error")
logging.basicConfig(level=logging.DEBUG)
os.environ["DECK_POISON"] = "1"
sys.path.insert(0, "/poison")
sys.argv.append("--poison")
sys.setrecursionlimit(123)
open("leftover.txt", "w").write("x")
os.chdir("/")
random.seed(1)
import builtins
builtins.poison = True
print("poisoned")
