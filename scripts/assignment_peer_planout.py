#!/usr/bin/env python3
"""Peer for the assignment benchmark: Facebook's PlanOut (PyPI `planout`), assigning
unit ids to three weighted arms (WeightedChoice, salted SHA-1) the way abctl's
"hash + weights" case does. Prints assignments per second (median of 7 runs of 100,000
units), by CPU time (time.thread_time) and by wall time.

Usage: python3 scripts/assignment_peer_planout.py
"""
import collections
import collections.abc
import statistics
import time

# planout 0.6 still imports MutableMapping from `collections` (removed in Python 3.10).
collections.MutableMapping = collections.abc.MutableMapping

from planout.assignment import Assignment
from planout.ops.random import WeightedChoice


def assign(unit):
    # The lightest PlanOut path: one Assignment (salted by experiment name) and one op,
    # without an Experiment object or logging.
    assignment = Assignment("bench-hash")
    assignment.arm = WeightedChoice(choices=["control", "als", "knn"], weights=[0.5, 0.3, 0.2], unit=unit)
    return assignment.arm


units = [f"user-{i}" for i in range(100_000)]
wall, cpu = [], []
for _ in range(7):
    w0, c0 = time.perf_counter(), time.thread_time()
    for unit in units:
        assign(unit)
    wall.append(len(units) / (time.perf_counter() - w0))
    cpu.append(len(units) / (time.thread_time() - c0))
print(f"planout 0.6 Assignment + WeightedChoice: {statistics.median(cpu) / 1e6:.4f} M/s by CPU time, {statistics.median(wall) / 1e6:.4f} M/s by wall time")
