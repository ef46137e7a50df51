import numpy as np
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier

X, y = load_digits(return_X_y=True)
imgs = X.reshape(-1, 8, 8)

def shift(batch, dx):                    # move images dx = +-1 pixel sideways, zero fill
    padded = np.pad(batch, ((0, 0), (0, 0), (1, 1)))
    return np.roll(padded, dx, axis=2)[:, :, 1:-1]

tr, te = imgs[:1000], imgs[1000:]
test = np.concatenate([shift(te, dx) for dx in (-1, 1)])   # test digits drawn off-centre
y_test = np.concatenate([y[1000:]] * 2)
aug = np.concatenate([tr] + [shift(tr, dx) for dx in (-1, 1)])  # label-preserving copies
y_aug = np.concatenate([y[:1000]] * 3)

plain = KNeighborsClassifier(1).fit(tr.reshape(1000, -1), y[:1000])
augmented = KNeighborsClassifier(1).fit(aug.reshape(len(aug), -1), y_aug)
acc_plain = plain.score(test.reshape(len(test), -1), y_test)
acc_aug = augmented.score(test.reshape(len(test), -1), y_test)
assert acc_aug > acc_plain + 0.1
print(f"shifted test digits: plain {acc_plain:.3f}, augmented {acc_aug:.3f}")
