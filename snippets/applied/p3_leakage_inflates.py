import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline

rng = np.random.default_rng(0)
X = rng.normal(size=(100, 5000))                     # pure noise features
y = rng.integers(0, 2, 100)                          # random labels: nothing to learn

chosen = SelectKBest(f_classif, k=20).fit(X, y).get_support()   # saw ALL labels: leak
leaky = cross_val_score(GaussianNB(), X[:, chosen], y, cv=5).mean()
pipe = make_pipeline(SelectKBest(f_classif, k=20), GaussianNB())
honest = cross_val_score(pipe, X, y, cv=5).mean()   # selection refit inside each fold
assert leaky > 0.75                                  # leakage makes scores TOO GOOD
assert honest < 0.65                                 # the truth: chance level
print(f"CV accuracy on random labels: leaky {leaky:.2f}, honest {honest:.2f}")
