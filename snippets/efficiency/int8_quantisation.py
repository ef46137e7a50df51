import torch
torch.manual_seed(0)
def fake_quant(w, bits, dim=None):  # symmetric: quantise, dequantise
    qmax = 2 ** (bits - 1) - 1      # 127 for INT8, 7 for INT4
    amax = (w.abs().amax() if dim is None
            else w.abs().amax(dim=dim, keepdim=True))
    scale = amax / qmax
    q = torch.clamp(torch.round(w / scale), -qmax, qmax)  # integers
    return q * scale, scale
# 8 output channels whose weight ranges differ by 100x
w = torch.randn(8, 64) * torch.logspace(-2, 0, 8)[:, None]
for bits in (8, 4):
    w_t, s_t = fake_quant(w, bits)          # one scale per tensor
    w_c, s_c = fake_quant(w, bits, dim=1)   # one scale per row
    assert (w - w_t).abs().max() <= s_t / 2 * 1.0001  # half a step
    assert ((w - w_c).abs() <= s_c / 2 * 1.0001).all()
    # relative error of the smallest-range channel
    e_t = ((w - w_t)[0].norm() / w[0].norm()).item()
    e_c = ((w - w_c)[0].norm() / w[0].norm()).item()
    assert e_c < 0.2 * e_t
    print(f"INT{bits} smallest channel: per-tensor error {e_t:.0%}, "
          f"per-channel {e_c:.1%}")
