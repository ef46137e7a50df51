import torch

def box_iou(a, b):  # boxes (x1, y1, x2, y2); returns len(a) x len(b)
    lt = torch.max(a[:, None, :2], b[None, :, :2])  # intersection
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(dim=-1)  # 0 if disjoint
    area = lambda x: (x[:, 2:] - x[:, :2]).prod(dim=-1)
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)

gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
pred = torch.tensor([[0.0, 0.0, 10.0, 10.0],    # exact
                     [5.0, 0.0, 15.0, 10.0],    # shifted half a box
                     [2.0, 2.0, 8.0, 8.0],      # inside, smaller
                     [20.0, 20.0, 30.0, 30.0]]) # disjoint
iou = box_iou(pred, gt).squeeze(1)
assert torch.allclose(iou, torch.tensor([1.0, 50 / 150, 36 / 100, 0.0]))
# shifting by half the width leaves IoU 1/3: below the usual 0.5
assert iou[1] < 0.5
# the same 2-pixel error hurts small boxes more: 1/3 versus 2/3
small = torch.tensor([[0.0, 0.0, 4.0, 4.0]])
shift = torch.tensor([2.0, 0.0, 2.0, 0.0])
assert box_iou(small + shift, small) < box_iou(gt + shift, gt)
print("IoU:", [round(v, 3) for v in iou.tolist()])
