import numpy as np
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
imgs = X.reshape(-1, 8, 8)
def shift(batch, dx):                    # move images dx = +-1 pixel sideways, zero fill
    padded = np.pad(batch, ((0, 0), (0, 0), (1, 1)))
    return np.roll(padded, dx, axis=2)[:, :, 1:-1]
def nn_accuracy(train, labels, test, test_labels):     # 1-nearest-neighbour classifier
    a, b = train.reshape(len(train), -1), test.reshape(len(test), -1)
    d = (b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None, :]
    return (labels[d.argmin(1)] == test_labels).mean()
tr, te = imgs[:1000], imgs[1000:1400]
test = np.concatenate([shift(te, dx) for dx in (-1, 1)])        # test digits drawn off-centre
y_test = np.concatenate([y[1000:1400]] * 2)
aug = np.concatenate([tr] + [shift(tr, dx) for dx in (-1, 1)])  # label-preserving copies
y_aug = np.concatenate([y[:1000]] * 3)
acc_plain = nn_accuracy(tr, y[:1000], test, y_test)
acc_aug = nn_accuracy(aug, y_aug, test, y_test)
assert acc_aug > acc_plain + 0.1
print(f"shifted test digits: plain {acc_plain:.3f}, augmented {acc_aug:.3f}")
