import torch
stages = {"capture": 8, "preprocess": 4, "inference": 25, "NMS": 3, "control": 5}   # ms
latency_ms = sum(stages.values())            # what the drone's reaction waits for
fps = 1000 / max(stages.values())            # pipelined: the slowest stage sets the rate
assert latency_ms == 45 and fps == 40        # 40 FPS does NOT mean 25 ms latency
speed = 15.0                                 # m/s; metres flown before it can react:
assert abs(speed * latency_ms / 1000 - 0.675) < 1e-9
assert abs(speed * (25 - 10) / 1000 - 0.225) < 1e-9   # saved by a 10 ms model vs 25 ms
conv = torch.nn.Conv2d(3, 16, 3, padding=1)
def macs(side):                              # multiply-adds of this layer at side x side
    return conv(torch.zeros(1, 3, side, side)).numel() * 3 * 3 * 3
assert macs(640) == 4 * macs(320)            # halve the resolution: 4x less compute...
assert 24 * 320 // 640 == 12                 # ...but a 24-px distant drone shrinks to 12 px
