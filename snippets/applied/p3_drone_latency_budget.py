import torch
stages_ms = {"capture": 8, "preprocess": 4, "inference": 25,
             "NMS": 3, "control": 5}
latency_ms = sum(stages_ms.values())  # what a reaction waits for
fps = 1000 / max(stages_ms.values())  # pipelined: slowest stage
assert latency_ms == 45 and fps == 40  # 40 FPS != 25 ms latency
speed = 15.0                           # m/s
blind_m = speed * latency_ms / 1000    # flown before it can react
assert abs(blind_m - 0.675) < 1e-9
saved_m = speed * (25 - 10) / 1000     # a 10 ms model vs 25 ms
assert abs(saved_m - 0.225) < 1e-9
conv = torch.nn.Conv2d(3, 16, 3, padding=1)
def macs(side):                # multiply-adds at side x side input
    return conv(torch.zeros(1, 3, side, side)).numel() * 3 * 3 * 3
assert macs(640) == 4 * macs(320)  # half resolution: 4x cheaper...
assert 24 * 320 // 640 == 12       # ...but a 24-px drone -> 12 px
