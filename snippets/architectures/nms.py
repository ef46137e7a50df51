import torch

def box_iou(a, b):
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(dim=-1)
    area = lambda x: (x[:, 2:] - x[:, :2]).prod(dim=-1)
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)

def nms(boxes, scores, thr=0.5):  # greedy: keep best, drop overlaps
    order, keep = scores.argsort(descending=True), []
    while order.numel():
        i = order[0]
        keep.append(int(i))
        ious = box_iou(boxes[i:i + 1], boxes[order[1:]])[0]
        order = order[1:][ious <= thr]
    return keep

boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [0, 1, 10, 11],
                      [20, 20, 30, 30], [6, 0, 16, 10]]).float()
scores = torch.tensor([0.9, 0.8, 0.75, 0.7, 0.6])
assert nms(boxes, scores) == [0, 3, 4]  # 1, 2 duplicate box 0
assert nms(boxes, scores, thr=0.9) == [0, 1, 2, 3, 4]
print("kept:", nms(boxes, scores), "of", len(boxes))
