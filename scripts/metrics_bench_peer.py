#!/usr/bin/env python3
"""Peer timing for `abctl-bench metrics`: evaluates a TREC run against qrels with pytrec_eval
(pytrec-eval-terrier, installed with `pip install ir-measures`) and prints JSON with the median
seconds of parsing + evaluating, and of evaluating alone, over REPS repetitions.

    python3 scripts/metrics_bench_peer.py RUN QRELS REPS
"""
import json
import statistics
import sys
import time

import pytrec_eval

MEASURES = {"P.10", "ndcg_cut.10", "map", "recip_rank", "recall.10"}


def main():
    run_path, qrels_path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    total, evaluate_only = [], []
    for _ in range(reps):
        start = time.perf_counter()
        with open(qrels_path) as f:
            qrels = pytrec_eval.parse_qrel(f)
        with open(run_path) as f:
            run = pytrec_eval.parse_run(f)
        parsed = time.perf_counter()
        results = pytrec_eval.RelevanceEvaluator(qrels, MEASURES).evaluate(run)
        means = {m: sum(q[m] for q in results.values()) / len(results) for m in next(iter(results.values()))}
        end = time.perf_counter()
        total.append(end - start)
        evaluate_only.append(end - parsed)
    print(json.dumps({"total": statistics.median(total), "evaluate": statistics.median(evaluate_only), "means": means}))


if __name__ == "__main__":
    main()
