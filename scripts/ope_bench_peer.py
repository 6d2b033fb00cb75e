#!/usr/bin/env python3
"""Peer for `abctl-bench ope`: IPS, SNIPS, DM and DR (per-arm ridge on the features, the same model
as abctl's) with numpy on the CSV that the benchmark exports from PostgreSQL, timed in the same run.

Input columns: action,reward,propensity,x_age,x_mobile (the candidate always picks action
CANDIDATE). Prints one JSON object: seconds to read the CSV (pandas), seconds to estimate, the
estimates and the peak resident memory.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd


def main(path: str, candidate: str, ridge: float) -> None:
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype={"action": str})
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    actions = frame["action"].to_numpy()
    reward = frame["reward"].to_numpy(dtype=float)
    propensity = frame["propensity"].to_numpy(dtype=float)
    features = frame[[c for c in frame.columns if c.startswith("x_")]].to_numpy(dtype=float)
    n = len(reward)
    z = np.hstack([np.ones((n, 1)), features])
    taken = actions == candidate
    w = taken / propensity
    ips = float(np.mean(w * reward))
    snips = float(np.sum(w * reward) / np.sum(w))
    # Ridge per arm on [1, features], intercept (almost) unpenalised, as abctl's RewardModel.
    predictions = {}
    for arm in np.unique(actions):
        rows = actions == arm
        zr = z[rows]
        penalty = np.diag([1e-9] + [ridge] * features.shape[1])
        beta = np.linalg.solve(zr.T @ zr + penalty, zr.T @ reward[rows])
        predictions[arm] = z @ beta
    q_candidate = predictions[candidate]
    q_logged = np.empty(n)
    for arm, prediction in predictions.items():
        rows = actions == arm
        q_logged[rows] = prediction[rows]
    dm = float(np.mean(q_candidate))
    dr = float(np.mean(q_candidate + w * (reward - q_logged)))
    estimate_seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "rows": n, "read_seconds": read_seconds, "estimate_seconds": estimate_seconds,
        "ips": ips, "snips": snips, "dm": dm, "dr": dr, "peak_mib": peak_kib / 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "als", float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
