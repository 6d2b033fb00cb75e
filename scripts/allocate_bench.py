"""Benchmark: one `abctl allocate` over 10 arms and 10,000,000 logged impressions.

Creates a scratch database `abctl_allocate_bench` on the server of $DATABASE_URL (default:
the local cluster, `abctl db url`), migrates it, applies a 10-arm Thompson experiment on
conversion (2-hour window), logs N impressions of 10 items each (2 per unit, so N/2 units,
all shown 3 to 27 hours ago) with clicks on 4% and purchases on (15 + arm)/1024, 1.5% to 2.3%, of them
depending on the arm, then times `abctl allocate bench-10-arms --dry-run` R times (wall
clock of the whole process: connect, evaluator SQL, policy, constraints, output) and, for
comparison, the evaluator's SQL alone through psql. Prints medians; the database is
dropped at the end unless --keep.

Run: python3 scripts/allocate_bench.py [--impressions 10000000] [--repetitions 5] [--binary .build/debug/abctl]
     [--keep] [--reuse] [--sql-repetitions R]
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--impressions", type=int, default=10_000_000)
parser.add_argument("--repetitions", type=int, default=5)
parser.add_argument("--binary", default=".build/debug/abctl")
parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
parser.add_argument("--reuse", action="store_true", help="time the database a --keep run left, without reloading it")
parser.add_argument("--sql-repetitions", type=int, default=None, help="repetitions of the SQL alone (default: --repetitions)")
args = parser.parse_args()

server = os.environ.get("DATABASE_URL") or subprocess.check_output([args.binary, "db", "url"], text=True).strip()
name = "abctl_allocate_bench"
bench_url = server.rsplit("/", 1)[0] + "/" + name


def psql(url, sql):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True, capture_output=True, text=True).stdout


def timed(command, env=None):
    start = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return time.perf_counter() - start, output


arms = [f"arm{i}" for i in range(10)]
spec = "name: bench-10-arms\nstatus: running\narms:\n"
for i, arm in enumerate(arms):
    spec += f"  - key: {arm}\n    strategy: popularity\n    weight: 0.1\n" + ("    control: true\n" if i == 0 else "")
spec += "allocation:\n  policy: thompson\n  reward: conversion\n  burn_in: 100\n  min_weight: 0.01\n"
spec += "metrics:\n  primary: conversion\n  attribution_window: 2h\n"

env = dict(os.environ, DATABASE_URL=bench_url)


def load():
    psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(server, f"CREATE DATABASE {name}")
    subprocess.run([args.binary, "migrate"], check=True, capture_output=True, env=env)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(spec)
    subprocess.run([args.binary, "apply", f.name], check=True, capture_output=True, env=env)

    n = args.impressions
    start = time.perf_counter()
    psql(
        bench_url,
        f"""
        INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
        SELECT md5(g::text)::uuid, 'bench-10-arms', 1, 'arm' || ((g / 2) % 10), 'u' || (g / 2),
               ARRAY['i1','i2','i3','i4','i5','i6','i7','i8','i9','i10'], ARRAY[10,9,8,7,6,5,4,3,2,1]::float8[], 0.1, 1,
               now() - interval '3 hours' - (g % 86400) * interval '1 second'
        FROM generate_series(0, {n - 1}) g;
        INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
        SELECT 'c' || g, md5(g::text)::uuid, 'u' || (g / 2), 'i' || (1 + g % 10), 'click', 0,
               now() - interval '3 hours' - (g % 86400) * interval '1 second' + interval '30 seconds'
        FROM generate_series(0, {n - 1}) g WHERE g % 25 = 0;
        INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
        SELECT 'p' || g, md5(g::text)::uuid, 'u' || (g / 2), 'i1', 'purchase', 20,
               now() - interval '3 hours' - (g % 86400) * interval '1 second' + interval '60 seconds'
        FROM generate_series(0, {n - 1}) g WHERE (hashint4(g) & 1023) < 15 + ((g / 2) % 10);
        ANALYZE impressions; ANALYZE feedback;
        """,
    )
    print(f"loaded {n:,} impressions in {time.perf_counter() - start:.0f} s", flush=True)


try:
    if not args.reuse:
        load()
    print(psql(bench_url, "SELECT count(*) FROM impressions").strip(), "impressions,", psql(bench_url, "SELECT count(*) FROM feedback").strip(), "feedback rows", flush=True)

    allocate = [args.binary, "allocate", "bench-10-arms", "--dry-run"]
    sql = (
        "SELECT count(*) FROM abctl_arm_statistics('bench-10-arms', 10, interval '2 hours', "
        """'{"click": 1, "add_to_cart": 2, "purchase": 3}'::jsonb, false, '-infinity', now() - interval '2 hours')"""
    )
    cli = []
    for _ in range(args.repetitions):
        seconds, output = timed(allocate, env)
        cli.append(seconds)
        print(f"  abctl allocate --dry-run: {seconds:.2f} s", flush=True)
        if len(cli) == 1:
            print(output, flush=True)
    evaluator = []
    for _ in range(args.sql_repetitions or args.repetitions):
        evaluator.append(timed(["psql", bench_url, "-qAtc", sql])[0])
        print(f"  evaluator SQL alone: {evaluator[-1]:.2f} s", flush=True)
    print(f"abctl allocate --dry-run: median {statistics.median(cli):.2f} s over {args.repetitions} runs ({', '.join(f'{t:.2f}' for t in cli)})")
    print(f"evaluator SQL alone (psql): median {statistics.median(evaluator):.2f} s over {len(evaluator)} runs ({', '.join(f'{t:.2f}' for t in evaluator)})")
finally:
    if not args.keep:
        psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
