import torch
d = 1024                        # one d x d fp16 weight matrix
W = torch.empty(d, d, dtype=torch.half)

def flops_per_byte(tokens):     # y = x W^T: FLOPs / bytes moved
    x = torch.empty(tokens, d, dtype=torch.half)
    y = torch.empty(tokens, d, dtype=torch.half)
    flops = 2 * tokens * W.numel()          # a multiply and an add
    moved = sum(t.numel() * t.element_size()
                for t in (W, x, y))         # read W and x, write y
    return flops / moved

decode, prefill = flops_per_byte(1), flops_per_byte(512)
assert decode < 1.0             # each weight fetched for 2 FLOPs
assert prefill > 200            # a 512-token prompt reuses it
assert flops_per_byte(64) > 30 * decode   # batching many sequences
# ~1e15 FLOP/s over ~3.35e12 B/s: ~300 FLOP/byte to keep busy
ridge = 1e15 / 3.35e12
assert decode < ridge / 100 and prefill > ridge / 2
# batch-1 ceiling: every token reads all 14 GB of a 7B fp16 model
assert 235 < 3.35e12 / 14e9 < 245
print(f"FLOP/byte: decode {decode:.2f}, prefill {prefill:.0f}; "
      f"7B ceiling ~{3.35e12 / 14e9:.0f} tokens/s")
