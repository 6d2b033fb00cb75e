"""Helper of scripts/public-dataset-eval.sh: MovieLens 100K from the RecBole wheel.

  python3 scripts/public_dataset_eval.py convert WHEEL OUT_DIR
      Reads recbole/dataset_example/ml-100k/ml-100k.{inter,item} out of the wheel (checking
      their sha256), writes OUT_DIR/items.csv and OUT_DIR/interactions.csv in abctl's import
      format. Every rating becomes one implicit `rating` event (value = the stars, which abctl
      carries but does not weigh). MovieLens times are whole seconds and a user often rated
      several films in the same second; ties within a user are broken by the file's row order
      (k microseconds added to the k-th tie), so "the last interaction" is well defined and
      the same in PostgreSQL and in the `implicit` reference below.

  python3 scripts/public_dataset_eval.py implicit OUT_DIR
      The `implicit` library's ALS (0.7.x, conjugate gradient) on the same leave-last-out
      split of OUT_DIR/interactions.csv, with abctl's default ALS parameters (64 factors,
      regularization 0.01, confidence 1 + 40 * weight with weight 1 per rating, 15 sweeps,
      3 CG steps), scored like `abctl eval`: training items excluded, one held-out item per
      unit, linear gain. Prints one CSV row with the header of `abctl eval --format csv`.
"""

import csv
import os
import hashlib
import math
import sys
import time
import zipfile
from collections import defaultdict

INTER = "recbole/dataset_example/ml-100k/ml-100k.inter"
ITEM = "recbole/dataset_example/ml-100k/ml-100k.item"
SHA256 = {
    INTER: "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff",
    ITEM: "51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532",
}


def read_member(wheel, name):
    data = zipfile.ZipFile(wheel).read(name)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        sys.exit(f"{name} in {wheel} has sha256 {digest}, not {SHA256[name]}: another RecBole version?")
    return data.decode("utf-8").splitlines()


def convert(wheel, out):
    with open(f"{out}/items.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item_id", "title", "body", "release_year"])
        for line in read_member(wheel, ITEM)[1:]:
            item, title, year, genres = (line.split("\t") + [""] * 4)[:4]
            writer.writerow([item, title, genres, year])
    ties = defaultdict(int)
    with open(f"{out}/interactions.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_id", "item_id", "event_type", "value", "occurred_at"])
        for line in read_member(wheel, INTER)[1:]:
            user, item, rating, stamp = line.split("\t")
            seconds = int(float(stamp))
            rank = ties[(user, seconds)]
            ties[(user, seconds)] += 1
            # RAW_TIMES=1 keeps the whole seconds: abctl then breaks the ties by import order
            # (sql/0014), the same order as the microseconds below, so the split is the same.
            stamp = f"{seconds}" if os.environ.get("RAW_TIMES") == "1" else f"{seconds}.{rank:06d}"
            writer.writerow([user, item, "rating", rating, stamp])


def leave_last_out(out):
    rows = defaultdict(list)
    items = []
    with open(f"{out}/items.csv") as handle:
        items = [row["item_id"] for row in csv.DictReader(handle)]
    with open(f"{out}/interactions.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["unit_id"]].append((float(row["occurred_at"]), row["item_id"]))
    train, test = [], {}
    for unit, events in rows.items():
        events.sort(key=lambda event: event[0])  # stable: ties keep the file's order, as abctl's import_order
        if len(events) >= 2:
            test[unit] = events[-1][1]
            events = events[:-1]
        train.extend((unit, item) for _, item in events)
    return items, train, test


def implicit_row(out):
    import numpy as np
    import scipy.sparse as sp
    from implicit.cpu.als import AlternatingLeastSquares

    items, train, test = leave_last_out(out)
    item_index = {item: i for i, item in enumerate(items)}
    for _, item in train:
        item_index.setdefault(item, len(item_index))
    for item in test.values():
        item_index.setdefault(item, len(item_index))
    units = sorted({unit for unit, _ in train})
    unit_index = {unit: i for i, unit in enumerate(units)}
    weights = defaultdict(float)
    for unit, item in train:
        weights[(unit_index[unit], item_index[item])] += 1.0
    (rows, cols), values = zip(*weights.keys()), [1 + 40 * w for w in weights.values()]
    matrix = sp.csr_matrix(
        (np.array(values, dtype=np.float32), (rows, cols)), shape=(len(unit_index), len(item_index))
    )
    model = AlternatingLeastSquares(
        factors=64, regularization=0.01, alpha=1.0, iterations=15, use_cg=True,
        calculate_training_loss=False, num_threads=2, random_state=42,
    )
    model.cg_steps = 3  # implicit's default too; set so that it cannot drift
    start = time.perf_counter()
    model.fit(matrix, show_progress=False)
    fit_seconds = time.perf_counter() - start
    sums = defaultdict(float)
    recommended = set()
    for unit in sorted(test):
        row = unit_index[unit]
        ids, _ = model.recommend(row, matrix[row], N=10, filter_already_liked_items=True)
        ranking = [int(i) for i in ids]
        recommended.update(ranking)
        target = item_index[test[unit]]
        if target in ranking:
            rank = ranking.index(target) + 1
            # One relevant item: P@10 = 1/10, recall@10 = 1, NDCG@10 = 1/log2(rank + 1), RR = 1/rank.
            sums["P@10"] += 0.1
            sums["ndcg@10"] += 1 / math.log2(rank + 1)
            sums["recip_rank"] += 1 / rank
            sums["recall@10"] += 1
    count = len(test)
    cells = [f"{sums[name] / count:.4f}" for name in ("P@10", "ndcg@10", "recip_rank", "recall@10")]
    print("strategy,test units,P@10,ndcg@10,recip_rank,recall@10,coverage,fit seconds")
    print(",".join(["implicit 0.7 ALS", str(count), *cells, f"{len(recommended) / len(item_index):.4f}", f"{fit_seconds:.2f}"]))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "implicit":
        implicit_row(sys.argv[2])
    else:
        sys.exit(__doc__)
