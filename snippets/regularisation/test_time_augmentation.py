import numpy as np
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier
X, y = load_digits(return_X_y=True)            # 8x8 images, bundled
imgs = X.reshape(-1, 8, 8)
shift = lambda a, s: np.roll(a, s, axis=2).reshape(len(a), -1)
clf = KNeighborsClassifier(5).fit(X[:1000], y[:1000])
rng = np.random.default_rng(0)
side = rng.choice([-1, 1], len(X) - 1000)     # test digits drift
moved = np.stack([np.roll(t, s, axis=1)
                  for t, s in zip(imgs[1000:], side)])
plain = (clf.predict(shift(moved, 0)) == y[1000:]).mean()
proba = sum(clf.predict_proba(shift(moved, s)) for s in (-1, 0, 1))
tta = (proba.argmax(1) == y[1000:]).mean()      # average 3 views
print(f"accuracy on shifted test digits: plain {plain:.2f}, "
      f"TTA over 3 shifts {tta:.2f}")
assert tta > plain + 0.05
