logits = [2.0, 1.0]
m = max(logits)
shifted = [v - m for v in logits]
assert max(shifted) == 0.0
