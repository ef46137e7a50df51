import numpy as np
from sklearn.metrics import average_precision_score
# detections of one class, already matched to ground truth at IoU>=0.5
scores = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
is_tp = np.array([1, 1, 0, 1, 0, 0, 1])  # a duplicate counts as FP
n_gt = 5  # one object was never detected
order = np.argsort(-scores)
tp = np.cumsum(is_tp[order])
precision = tp / np.arange(1, len(tp) + 1)
recall = tp / n_gt  # over ALL objects, detected or not
# AP: area under the precision-recall curve, one step per true hit
ap = np.sum(np.diff(np.concatenate([[0], recall])) * precision)
# sklearn only sees the detections, so its recall tops out at 1
ap_sk = average_precision_score(is_tp, scores)
assert np.isclose(ap, ap_sk * is_tp.sum() / n_gt)
assert recall[-1] == 0.8  # the missed object caps recall
# COCO-style mAP: mean over classes and IoU thresholds 0.5:0.95
print(f"AP = {ap:.3f} (recall capped at {recall[-1]:.0%})")
