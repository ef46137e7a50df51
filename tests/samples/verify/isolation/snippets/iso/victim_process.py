# The interpreter's state: environment, sys.path, argv, warnings, logging, recursion limit.
import logging
import os
import sys
import warnings

assert "DECK_POISON" not in os.environ
assert "/poison" not in sys.path
assert sys.argv == [__file__]
assert sys.getrecursionlimit() >= 1000
assert not logging.getLogger().handlers
warnings.warn("a warning is not an error")
