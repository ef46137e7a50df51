import torch

# one frame's trip through the pipeline, in milliseconds
stages = {"capture": 8, "preprocess": 4, "inference": 25, "NMS": 3, "control": 5}
latency_ms = sum(stages.values())            # what the drone's reaction waits for
fps = 1000 / max(stages.values())            # pipelined: the slowest stage sets the rate
assert latency_ms == 45 and fps == 40        # 40 FPS does NOT mean 25 ms latency

speed = 15.0                                 # m/s
blind = speed * latency_ms / 1000            # metres flown before the detector can react
assert abs(blind - 0.675) < 1e-9
small_fast = speed * (latency_ms - 25 + 10) / 1000   # a 10 ms model instead of 25 ms
assert abs(blind - small_fast - 0.225) < 1e-9        # gains 22.5 cm of reaction distance

conv = torch.nn.Conv2d(3, 16, 3, padding=1)

def macs(side):                              # multiply-adds of this layer at side x side
    return conv(torch.zeros(1, 3, side, side)).numel() * 3 * 3 * 3

assert macs(640) == 4 * macs(320)            # halve the resolution: ~4x less compute...
obj_px = 24 * 320 // 640                     # ...but a 24-px distant drone shrinks to 12 px
assert obj_px == 12
print(f"latency {latency_ms} ms, throughput {fps:.0f} FPS, blind distance {blind:.3f} m")
