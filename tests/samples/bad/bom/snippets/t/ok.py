x = 1 + 1
assert x == 2
