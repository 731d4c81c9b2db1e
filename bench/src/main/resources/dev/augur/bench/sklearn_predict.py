"""scikit-learn's side of `augur bench predict`: the bag-of-words model of the Java side, timed on one core.

    python3 sklearn_predict.py CORPUS.jsonl.gz REPS

Reads the same mails (the SpamAssassin JSON lines), fits the closest pipeline to Augur's default text model (binary
unigrams over a vocabulary of every term, L2-normalized, logistic regression), then times predict_proba over all
mails REPS times, on one thread pinned to one core. Prints `key: value` lines; `unavailable: why` when it cannot run.
"""
import os
import sys

# one thread, as H2 runs a query on one: set before numpy loads its BLAS
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
try:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
except (AttributeError, OSError):
    pass

import gzip
import json
import statistics
import time


def main():
    corpus, reps = sys.argv[1], int(sys.argv[2])
    try:
        import numpy as np
        import sklearn
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import Normalizer
    except ImportError as e:
        print("unavailable: scikit-learn is not importable by %s (%s; on Debian: apt-get install python3-sklearn)"
              % (sys.executable, e))
        return
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        mails = [json.loads(line) for line in f if line.strip()]
    texts = [m["text"] for m in mails]
    labels = [m["spam"] for m in mails]
    # Augur's tokens are [a-z0-9]+ after ASCII lower-casing; str.lower also folds the few non-ASCII capitals
    model = make_pipeline(CountVectorizer(binary=True, token_pattern=r"[a-z0-9]+", dtype=np.float64),
                          Normalizer(norm="l2"), LogisticRegression(max_iter=1000))
    model.fit(texts, labels)
    model.predict_proba(texts)  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        model.predict_proba(texts)
        times.append(time.perf_counter() - t0)
    print("pipeline: CountVectorizer(binary=True, token_pattern='[a-z0-9]+') + Normalizer('l2') + LogisticRegression, "
          "scikit-learn %s, one thread on one core" % sklearn.__version__)
    print("vocabulary: %d" % len(model[0].vocabulary_))
    print("mails: %d" % len(texts))
    print("us_per_mail: %.3f" % (statistics.median(times) * 1e6 / len(texts)))


if __name__ == "__main__":
    main()
