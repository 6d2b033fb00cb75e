#!/usr/bin/env python3
"""Peer for `abctl-bench report`: pandas (3.x) computes, from CSV exports of the impressions
and feedback tables, the per-arm aggregates `abctl report` reads from sql/0006_report.sql:
CTR (clicks / impressions over units), NDCG@10 (per-impression NDCG over units' impressions)
and conversion (units with a purchase / units), with the same definitions
(docs/metrics.md): feedback counts within [impression time, + 1 h]; an item's grade is the
highest gain of its events (click 1, add_to_cart 2, purchase 3); DCG = sum r / log2(pos + 1)
over the first position of each judged item; IDCG from the judged grades in ideal order.

    python3 scripts/report_bench_peer.py IMPRESSIONS.csv FEEDBACK.csv REPS

Prints JSON: the median seconds (reading the CSVs included) and the per-arm values.
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd

GAINS = {"click": 1.0, "add_to_cart": 2.0, "purchase": 3.0}
K = 10
WINDOW = pd.Timedelta(hours=1)


def evaluate(impressions_path, feedback_path):
    imp = pd.read_csv(impressions_path)
    fb = pd.read_csv(feedback_path)
    imp["created_at"] = pd.to_datetime(imp.created_at, format="ISO8601", utc=True)
    fb["created_at"] = pd.to_datetime(fb.created_at, format="ISO8601", utc=True)
    a = fb.merge(imp[["request_id", "created_at", "items"]], on="request_id", suffixes=("", "_imp"))
    a = a[(a.created_at >= a.created_at_imp) & (a.created_at <= a.created_at_imp + WINDOW)]
    a = a.assign(
        gain=a.event_type.map(GAINS).fillna(0.0),
        click=(a.event_type == "click").astype(int),
        purchase=(a.event_type == "purchase").astype(int),
    )
    events = a.groupby("request_id").agg(clicks=("click", "sum"), purchases=("purchase", "sum"))
    grade = a.groupby(["request_id", "item_id"], as_index=False).agg(r=("gain", "max"), items=("items", "first"))
    grade = grade[grade.r > 0]
    positions = [
        (lst.index(item) + 1) if item in lst else 0
        for item, lst in zip(grade.item_id, (s.split("|") for s in grade["items"]))
    ]
    grade = grade.assign(pos=positions)
    grade = grade[grade.pos > 0]
    grade = grade.assign(dcg=np.where(grade.pos <= K, grade.r / np.log2(grade.pos + 1), 0.0))
    grade = grade.sort_values(["request_id", "r", "pos"], ascending=[True, False, True])
    grade = grade.assign(ideal=grade.groupby("request_id").cumcount() + 1)
    grade = grade.assign(idcg=np.where(grade.ideal <= K, grade.r / np.log2(grade.ideal + 1), 0.0))
    per_request = grade.groupby("request_id").agg(dcg=("dcg", "sum"), idcg=("idcg", "sum"))
    per_request = per_request.assign(ndcg=np.where(per_request.idcg > 0, per_request.dcg / per_request.idcg, 0.0))
    m = imp[["request_id", "unit_id", "arm"]].set_index("request_id")
    m = m.join(per_request[["ndcg"]]).join(events).fillna({"ndcg": 0.0, "clicks": 0, "purchases": 0})
    units = m.groupby(["arm", "unit_id"]).agg(
        n=("ndcg", "size"), ndcg=("ndcg", "sum"), clicks=("clicks", "sum"), purchases=("purchases", "sum")
    )
    units = units.assign(converted=(units.purchases > 0).astype(float))
    arms = units.groupby("arm").agg(n=("n", "sum"), ndcg=("ndcg", "sum"), clicks=("clicks", "sum"), converted=("converted", "mean"))
    return {
        arm: {"ctr": row.clicks / row.n, "ndcg": row.ndcg / row.n, "conversion": row.converted}
        for arm, row in arms.iterrows()
    }


def main():
    impressions_path, feedback_path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    times, result = [], None
    for _ in range(reps):
        start = time.perf_counter()
        result = evaluate(impressions_path, feedback_path)
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(times), "arms": result}))


if __name__ == "__main__":
    main()
