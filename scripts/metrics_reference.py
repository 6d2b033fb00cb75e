#!/usr/bin/env python3
"""Reference values for Tests/MetricsTests/TrecReferenceTests.swift.

Evaluates the run in Tests/MetricsTests/TrecFixtures.swift against the qrels there with pytrec_eval
(pytrec-eval-terrier 0.5.11, the trec_eval 9 C code, as used by ir-measures 0.4.3) and prints
per-query values of the measures abctl implements, as Swift literals.

    pip install ir-measures==0.4.3   # pulls pytrec-eval-terrier
    python3 scripts/metrics_reference.py
    python3 scripts/metrics_reference.py --edges   # the cases of TrecEdgeTests.swift
"""
import os
import re

import pytrec_eval

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "MetricsTests", "TrecFixtures.swift")


def literal(name):
    """The lines of the Swift multi-line string literal named NAME."""
    source = open(FIXTURES).read()
    body = re.search(r'static let ' + name + r' = """\n(.*?)\n\s*"""', source, re.S).group(1)
    return [line.strip() for line in body.splitlines() if line.strip()]


def read_qrels():
    qrels = {}
    for line in literal("qrels"):
        qid, _, docno, rel = line.split()
        qrels.setdefault(qid, {})[docno] = int(rel)
    return qrels


def read_run():
    run = {}
    for line in literal("run"):
        qid, _, docno, _, score, _ = line.split()
        run.setdefault(qid, {})[docno] = float(score)
    return run


MEASURES = ["P_3", "P_10", "recall_3", "recall_10", "ndcg_cut_3", "ndcg_cut_10", "map_cut_3", "map_cut_10", "map",
            "recip_rank", "success_1", "success_3"]
ABCTL = ["P@3", "P@10", "recall@3", "recall@10", "ndcg@3", "ndcg@10", "map@3", "map@10", "map",
         "mrr", "hit@1", "hit@3"]


def main():
    qrels = read_qrels()
    run = read_run()
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {"P.3,10", "recall.3,10", "ndcg_cut.3,10", "map_cut.3,10", "map", "recip_rank", "success.1,3"})
    results = evaluator.evaluate(run)
    print("// measures:", ", ".join(ABCTL))
    for qid in sorted(results, key=int):
        values = ", ".join(repr(results[qid][m]) for m in MEASURES)
        print(f'"{qid}": [{values}],')
    # trec_eval -c: queries judged but absent from the run count as 0 in the mean.
    n = len(results)
    missing = sum(1 for q in qrels if q not in run)
    print("// mean (default):", [sum(results[q][m] for q in results) / n for m in MEASURES])
    print("// mean (-c):", [sum(results[q][m] for q in results) / (n + missing) for m in MEASURES])


def edges():
    """trec_eval on the edge cases of Tests/MetricsTests/TrecEdgeTests.swift."""
    # Scores equal in single precision: trec_eval keeps sim as a C float, so all three tie at
    # 1.0f and rank by docno descending (c, b, a); a relevant at rank 3 gives 1/3.
    run = {"q": {"a": 1.00000001, "b": 1.0, "c": 0.99999999}}
    qrels = {"q": {"a": 1}}
    print("float ties, recip_rank:", pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(run)["q"]["recip_rank"])
    run = {"q": {"a": 1.0000001, "b": 1.0}}
    print("distinct floats, b relevant, recip_rank:",
          pytrec_eval.RelevanceEvaluator({"q": {"b": 1}}, {"recip_rank"}).evaluate(run)["q"]["recip_rank"])
    # Docnos as bytes: precomposed and decomposed café are two documents.
    pre, dec = "caf\u00e9", "cafe\u0301"
    run = {"q": {dec: 2.0, pre: 1.0}}
    result = pytrec_eval.RelevanceEvaluator({"q": {pre: 1}}, {"recip_rank", "P.1"}).evaluate(run)["q"]
    print("cafe forms, recip_rank and P_1:", result["recip_rank"], result["P_1"])
    result = pytrec_eval.RelevanceEvaluator({"q": {pre: 1, dec: 0}}, {"recip_rank"}).evaluate({"q": {dec: 2.0}})["q"]
    print("judged in the other form, recip_rank:", result["recip_rank"])


if __name__ == "__main__":
    import sys
    edges() if "--edges" in sys.argv else main()
