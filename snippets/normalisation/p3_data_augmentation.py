import numpy as np
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
imgs = X.reshape(-1, 8, 8)
def shift(batch, dx):          # move +-1 pixel sideways, zero fill
    padded = np.pad(batch, ((0, 0), (0, 0), (1, 1)))
    return np.roll(padded, dx, axis=2)[:, :, 1:-1]
def nn_accuracy(train, labels, test, test_labels):  # 1-NN
    a, b = train.reshape(-1, 64), test.reshape(-1, 64)
    d = (a**2).sum(1) - 2 * b @ a.T   # distance^2 minus |b|^2
    return (labels[d.argmin(1)] == test_labels).mean()
tr, te = imgs[:1000], imgs[1000:1400]
# test digits drawn slightly off-centre
test = np.concatenate([shift(te, -1), shift(te, 1)])
y_test = np.concatenate([y[1000:1400]] * 2)
# label-preserving copies of the training digits
aug = np.concatenate([tr, shift(tr, -1), shift(tr, 1)])
y_aug = np.concatenate([y[:1000]] * 3)
acc_plain = nn_accuracy(tr, y[:1000], test, y_test)
acc_aug = nn_accuracy(aug, y_aug, test, y_test)
assert acc_aug > acc_plain + 0.1
print(f"shifted digits: plain {acc_plain:.3f}, aug {acc_aug:.3f}")
