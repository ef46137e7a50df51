import torch

def kv_bytes(layers, kv_heads, d_head, tokens, batch, bytes_per):
    return 2 * layers * kv_heads * d_head * tokens * batch * bytes_per
# a real (toy) cache: one K and one V tensor per layer, fp16
L, H, dh, T, B = 3, 4, 8, 10, 2
cache = [(torch.zeros(B, H, T, dh, dtype=torch.float16),
          torch.zeros(B, H, T, dh, dtype=torch.float16))
         for _ in range(L)]
used = sum(t.numel() * t.element_size() for kv in cache for t in kv)
assert used == kv_bytes(L, H, dh, T, B, 2)
# 7B-style model: 32 layers, 32 KV heads of 128, fp16, 4096 tokens
per_seq = kv_bytes(32, 32, 128, 4096, 1, 2)
assert per_seq == 2 * 2**30                     # 2 GiB per sequence
assert kv_bytes(32, 32, 128, 1, 1, 2) == 512 * 1024   # per token
assert kv_bytes(32, 32, 128, 4096, 8, 2) > 7e9 * 2  # batch 8 > weights
# 70B-style with GQA (80 layers, 8 KV heads): less than the 7B
assert kv_bytes(80, 8, 128, 1, 1, 2) == 320 * 1024
tok = kv_bytes(32, 32, 128, 1, 1, 2) // 1024
print(f"7B-style: {tok} KiB/token, {per_seq / 2**30:.0f} GiB/sequence")
gqa = kv_bytes(80, 8, 128, 1, 1, 2) // 1024
print(f"70B-style GQA: {gqa} KiB/token")
