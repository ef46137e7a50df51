# Fresh globals: nothing defined by an earlier snippet is visible.
import builtins

assert "LEAK" not in globals(), "a global leaked from an earlier snippet"
assert not hasattr(builtins, "poison"), "a builtin leaked from an earlier snippet"
assert __name__ == "__main__"
