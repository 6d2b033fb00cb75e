"""Peer benchmark for abctl's ALS: the `implicit` library (Frederickson) on the same data.

Run by `swift run -c release --package-path Benchmarks abctl-bench strategies`, which writes
FOLDER/train.txt ("unit item confidence" lines, confidence = 1 + alpha*weight, so implicit's
alpha stays 1 and both libraries minimise the same objective) and FOLDER/heldout.txt
("unit item" lines, one held-out item per unit). Prints JSON: seconds per ALS sweep
((t(6 sweeps) - t(1 sweep)) / 5, median of 3, as abctl measures) and NDCG@10 of a
10-sweep fit on the first 2,000 held-out units, excluding each unit's training items.
Usage: python3 scripts/strategies_implicit_bench.py FOLDER
"""

import json
import math
import statistics
import sys
import time

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares


def load(folder):
    units, items, values = [], [], []
    unit_index, item_index = {}, {}
    with open(f"{folder}/train.txt") as lines:
        for line in lines:
            unit, item, value = line.split()
            units.append(unit_index.setdefault(unit, len(unit_index)))
            items.append(item_index.setdefault(item, len(item_index)))
            values.append(float(value))
    matrix = sp.csr_matrix(
        (np.array(values, dtype=np.float32), (units, items)), shape=(len(unit_index), len(item_index))
    )
    held = []
    with open(f"{folder}/heldout.txt") as lines:
        for line in lines:
            unit, item = line.split()
            held.append((unit_index.get(unit), item_index.get(item)))
    return matrix, held


def model(iterations):
    return AlternatingLeastSquares(
        factors=64, regularization=0.01, alpha=1.0, iterations=iterations, use_cg=True,
        calculate_training_loss=False, num_threads=2, random_state=42,
    )


def main():
    matrix, held = load(sys.argv[1])

    def fit_seconds(iterations):
        start = time.perf_counter()
        model(iterations).fit(matrix, show_progress=False)
        return time.perf_counter() - start

    per_sweep = statistics.median((fit_seconds(6) - fit_seconds(1)) / 5 for _ in range(3))
    fitted = model(10)
    fitted.fit(matrix, show_progress=False)
    sample = [(u, i) for u, i in held[:2000] if u is not None]
    users = np.array([u for u, _ in sample])
    ids, _ = fitted.recommend(users, matrix[users], N=10, filter_already_liked_items=True)
    ndcg = 0.0
    for (_, item), ranked in zip(sample, ids):
        hits = np.nonzero(ranked == item)[0]
        if item is not None and len(hits):
            ndcg += 1 / math.log2(hits[0] + 2)
    print(json.dumps({"seconds_per_iteration": per_sweep, "ndcg10": ndcg / len(held[:2000])}))


if __name__ == "__main__":
    main()
