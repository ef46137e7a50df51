from collections import Counter
from functools import reduce
corpus = "low " * 5 + "lower " * 2 + "newest " * 6 + "widest " * 3
words = Counter(tuple(w) + ("</w>",) for w in corpus.split())
def merge(word, pair):               # fuse each occurrence of the pair
    out, i = [], 0
    while i < len(word):
        n = 2 if word[i:i + 2] == pair else 1
        out.append("".join(word[i:i + n])); i += n
    return tuple(out)
merges = []
for _ in range(10):                  # learn 10 merges
    pairs = Counter(p for w, n in words.items()
                    for p in zip(w, w[1:]) for _ in range(n))
    merges.append(pairs.most_common(1)[0][0])   # most frequent pair
    words = Counter({merge(w, merges[-1]): n for w, n in words.items()})
def encode(word):                    # replay the merges in order
    return list(reduce(merge, merges, tuple(word) + ("</w>",)))
assert merges[:3] == [("e", "s"), ("es", "t"), ("est", "</w>")]
assert encode("lowest") == ["low", "est</w>"]    # an unseen word
assert encode("zebra")[:2] == ["z", "e"]   # unknown: characters
assert "".join(encode("newest")) == "newest</w>"  # lossless
print(f"first merges: {merges[:4]}\nlowest -> {encode('lowest')}")
