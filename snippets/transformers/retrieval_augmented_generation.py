import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
docs = ["The clinic opens at 8 am on weekdays.",
        "Parking is free for patients in lot B.",
        "Flu vaccines are given on Tuesdays.",
        "The pharmacy closes at 6 pm."]
def retrieve(query, docs, k=1):   # top-k by cosine on TF-IDF vectors
    vec = TfidfVectorizer().fit(docs + [query])
    D, q = vec.transform(docs), vec.transform([query])
    scores = (D @ q.T).toarray().ravel()
    return [docs[i] for i in np.argsort(-scores)[:k]], scores.max()
def prompt(query, docs):          # what the generator actually reads
    return f"Context: {retrieve(query, docs)[0][0]}\nQuestion: {query}"
q = "When does the pharmacy close?"
assert "6 pm" in prompt(q, docs)
# new knowledge: edit the store, no retraining of any model
docs[3] = "From May the pharmacy closes at 9 pm."
assert "9 pm" in prompt(q, docs)
# lexical retrieval misses a paraphrase with no shared words
_, best = retrieve("Influenza jabs: which weekday?", docs)
assert best == 0
print(prompt(q, docs))
