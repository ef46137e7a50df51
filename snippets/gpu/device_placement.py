import time
import torch

torch.manual_seed(0)
model = torch.nn.Linear(256, 10).to(DEVICE)          # modules: parameters moved in place
x = torch.randn(512, 256)                            # new tensors live on the CPU by default
xd = x.to(DEVICE)                                    # tensors: .to() returns a (new) tensor
assert x.device.type == "cpu" and xd.to(DEVICE) is xd   # already there: no copy at all
out = model(xd)
assert out.device.type == DEVICE == model.weight.device.type
assert isinstance(out.sum().item(), float)           # .item(): wait for the GPU, copy to host

if DEVICE == "cuda":
    try:
        model(x); raise AssertionError("expected a device-mismatch error")  # CPU input
    except RuntimeError as e:
        assert "device" in str(e)
    assert (xd * torch.tensor(2.0)).device.type == "cuda"  # 0-dim CPU tensors act as scalars
    big = torch.randn(64, 2**20)                     # 256 MiB on the host
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    big.to("cuda")
    torch.cuda.synchronize()
    print(f"host-to-device copy: {big.nbytes / (time.perf_counter() - t0) / 1e9:.1f} GB/s")
