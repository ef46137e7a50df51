from sklearn.datasets import load_digits
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = X[:1200], X[1200:], y[:1200], y[1200:]
scaler = StandardScaler().fit(Xtr)                   # statistics from TRAIN only
clf = GaussianNB().fit(scaler.transform(Xtr), ytr)
right = clf.score(scaler.transform(Xte), yte)         # test preprocessed the same way
wrong = clf.score(Xte, yte)                           # forgot to normalise the test set
assert wrong < right - 0.3                            # a mismatch LOWERS test accuracy
print(f"test accuracy: same preprocessing {right:.3f}, mismatched {wrong:.3f}")
