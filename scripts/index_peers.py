#!/usr/bin/env python3
"""The ANN library choice behind the embedding strategies, measured on one data set.

Reads the vectors, queries and exact top-10 answers written by
`INDEX_DUMP=DIR swift run -c release --package-path Benchmarks abctl-bench index` and builds
the same index (HNSW, M 16, ef_construction 200, inner product) with FAISS (IndexHNSWFlat,
METRIC_INNER_PRODUCT) and with hnswlib's Python binding, on 2 threads; then times single
queries (one thread, as a decision does) and reports recall@10 for each ef_search.

    python3 scripts/index_peers.py DIR [--items N] [faiss|hnswlib ...]

With --items N only the first N items are indexed, and the exact top 10 among them is
recomputed here (numpy), so the libraries can be compared on a smaller catalogue.

Needs numpy and the libraries (pip install faiss-cpu hnswlib). Debian's libfaiss-dev is
1.7.3 and libhnswlib-dev 0.6.2; the wheels are newer, the HNSW code paths the same.
"""
import sys
import time

import numpy as np

FACTORS = 64
EFS = [50, 100, 200, 400, 800]


def load(folder):
    items = np.fromfile(f"{folder}/items.f32", dtype=np.float32).reshape(-1, FACTORS)
    queries = np.fromfile(f"{folder}/queries.f32", dtype=np.float32).reshape(-1, FACTORS)
    truth = np.fromfile(f"{folder}/truth.i32", dtype=np.int32).reshape(-1, 10)
    return items, queries, truth


def report(name, build_seconds, search, queries, truth):
    print(f"{name}: build {build_seconds:.1f} s")
    print("| ef_search | recall@10 | query p50 µs | p99 µs |")
    print("|---|---|---|---|")
    for ef in EFS:
        times, hits = [], 0
        for query, answer in zip(queries, truth):
            start = time.perf_counter()
            labels = search(query, ef)
            times.append((time.perf_counter() - start) * 1e6)
            hits += len(set(int(x) for x in labels) & set(int(x) for x in answer))
        times.sort()
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
        print(f"| {ef} | {hits / (10 * len(truth)):.4f} | {times[len(times) // 2]:.0f} | {p99:.0f} |")


def run_faiss(items, queries, truth):
    import faiss

    faiss.omp_set_num_threads(2)
    index = faiss.IndexHNSWFlat(FACTORS, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 200
    start = time.perf_counter()
    index.add(items)
    build = time.perf_counter() - start
    faiss.omp_set_num_threads(1)

    def search(query, ef):
        index.hnsw.efSearch = ef
        _, labels = index.search(query.reshape(1, -1), 10)
        return labels[0]

    report(f"faiss {faiss.__version__} IndexHNSWFlat", build, search, queries, truth)


def run_hnswlib(items, queries, truth):
    import hnswlib

    index = hnswlib.Index(space="ip", dim=FACTORS)
    index.init_index(max_elements=len(items), M=16, ef_construction=200, random_seed=42)
    start = time.perf_counter()
    index.add_items(items, np.arange(len(items)), num_threads=2)
    build = time.perf_counter() - start
    index.set_num_threads(1)

    def search(query, ef):
        index.set_ef(ef)
        labels, _ = index.knn_query(query.reshape(1, -1), k=10)
        return labels[0]

    report("hnswlib (Python binding)", build, search, queries, truth)


def main():
    folder = sys.argv[1]
    rest = sys.argv[2:]
    limit = None
    if rest[:1] == ["--items"]:
        limit, rest = int(rest[1]), rest[2:]
    chosen = rest or ["faiss", "hnswlib"]
    items, queries, truth = load(folder)
    if limit is not None:
        items = np.ascontiguousarray(items[:limit])
        scores = queries @ items.T
        truth = np.argpartition(-scores, 10, axis=1)[:, :10]
    print(f"{len(items)} items, {len(queries)} queries")
    if "faiss" in chosen:
        run_faiss(items, queries, truth)
    if "hnswlib" in chosen:
        run_hnswlib(items, queries, truth)


if __name__ == "__main__":
    main()
