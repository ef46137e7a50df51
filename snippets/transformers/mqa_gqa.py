import torch
import torch.nn.functional as F
torch.manual_seed(0)
B, h, T, dh = 2, 8, 5, 4

def gqa(q, k, v):       # q: (B, h, T, dh); k, v: (B, g, T, dh)
    rep = q.shape[1] // k.shape[1]      # query heads per KV head
    k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)
q = torch.randn(B, h, T, dh)
k, v = torch.randn(B, h, T, dh), torch.randn(B, h, T, dh)
mha = F.scaled_dot_product_attention(q, k, v, is_causal=True)
assert torch.allclose(gqa(q, k, v), mha, atol=1e-6)  # g = h: MHA
for g in (2, 1):                        # g = 1 is MQA
    kg, vg = k[:, :g], v[:, :g]
    out = gqa(q, kg, vg)
    ref = F.scaled_dot_product_attention(q, kg, vg, is_causal=True,
                                         enable_gqa=True)
    assert torch.allclose(out, ref, atol=1e-6)
    n = h // g       # the first n query heads all read KV head 0
    solo = F.scaled_dot_product_attention(q[:, :n],
        kg[:, :1].expand(-1, n, -1, -1),
        vg[:, :1].expand(-1, n, -1, -1), is_causal=True)
    assert torch.allclose(out[:, :n], solo, atol=1e-6)
    print(f"g={g}: KV cache is {g}/{h} of MHA's")
