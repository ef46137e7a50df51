from sklearn.datasets import load_digits
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = X[:1200], X[1200:], y[:1200], y[1200:]
scaler = StandardScaler().fit(Xtr)    # statistics from TRAIN only
clf = GaussianNB().fit(scaler.transform(Xtr), ytr)
right = clf.score(scaler.transform(Xte), yte)  # same preprocessing
wrong = clf.score(Xte, yte)           # forgot to scale the test set
assert wrong < right - 0.3   # the mismatch LOWERS test accuracy
print(f"test accuracy: scaled {right:.3f}, unscaled {wrong:.3f}")
