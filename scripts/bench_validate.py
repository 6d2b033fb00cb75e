#!/usr/bin/env python3
"""Time and peak memory of `abctl validate` on hostile specs and a corpus of mutated specs.

Issue 18 asks that validating any input finish in under a second and under 100 MB. Each case
runs as its own process; wall time from a monotonic clock and peak RSS from wait4's rusage.
Hostile cases run 5 times (median time, max RSS); the mutated corpus (seeded byte mutations
of the specs in experiments/) runs once per file and reports median, 99th percentile and max.

    python3 scripts/bench_validate.py ABCTL [--mutations 300]
"""
import os, random, statistics, subprocess, sys, tempfile, time

def laughs(levels, as_key=False):
    text = "name: laughs\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in range(1, levels):
        text += f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]\n"
    return text + (f"? *l{levels - 1}\n: value\n" if as_key else f"arms: *l{levels - 1}\n")

def merge_bomb(levels):
    text = "name: merge\nx0: &x0 {a: 1, b: 2}\n"
    for level in range(1, levels):
        text += f"x{level}: &x{level}\n  <<: [*x{level - 1}, *x{level - 1}]\n  k{level}: {level}\n"
    return text + f"arms: *x{levels - 1}\n"

def wide_merge(keys):
    text = "name: wide\nbase: &base {" + ", ".join(f"m{i}: 1" for i in range(keys)) + "}\n"
    return text + "extra:\n  <<: *base\n" + "".join(f"  e{i}: 1\n" for i in range(keys))

HOSTILE = {
    "billion laughs, 9 levels x 10 aliases": lambda: laughs(9),
    "billion laughs as a mapping key": lambda: laughs(9, as_key=True),
    "merge-key bomb, 24 levels of <<: [*x, *x]": lambda: merge_bomb(24),
    "nesting 5000 deep": lambda: "name: deep\narms: " + "[" * 5000 + "]" * 5000 + "\n",
    "file just over 1 MiB": lambda: "name: big\ndescription: \"" + "x" * (1 << 20) + "\"\n",
    "6,000 keys merged under 6,000 (read whole)": lambda: wide_merge(6_000),
    "20,000 keys merged under 20,000 (node budget)": lambda: wide_merge(20_000),
    "24,000 unknown keys (24,002 findings, 100 shown)": lambda: "name: wide\n" + "".join(f"e{i}: 1\n" for i in range(24_000)),
    "a list of 49,000 fractions": lambda: "name: wide\nl: [" + ", ".join(f"{i}.5" for i in range(49_000)) + "]\n",
    "a list of 49,000 exponents and yes/no (the node budget's worst)": lambda: "name: wide\nl: [" + ", ".join(f"{i}.5e+3, yes" for i in range(24_500)) + "]\n",
    "invalid UTF-8 at byte 7": lambda: b"name: d\xffemo\n",
}

def run(abctl, path):
    start = time.monotonic()
    process = subprocess.Popen([abctl, "validate", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)

def mutate(data, rng):
    data = bytearray(data)
    interesting = b"&*<>[]{}:,-|'\"#\n \t!?%@`\\\xff\xc3"
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data))
        byte = rng.choice(interesting) if rng.random() < 0.7 else rng.randrange(256)
        choice = rng.randrange(4)
        if choice == 0: data[at] = byte
        elif choice == 1: data.insert(at, byte)
        elif choice == 2: del data[at]
        else:  # duplicate a line: aliases and keys repeat
            lines = bytes(data).split(b"\n")
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            data = bytearray(b"\n".join(lines))
    return bytes(data)

def main():
    abctl = sys.argv[1]
    mutations = int(sys.argv[sys.argv.index("--mutations") + 1]) if "--mutations" in sys.argv else 300
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folder = tempfile.mkdtemp(prefix="abctl-bench-validate-")
    print(f"| case | median time | peak RSS | exit |\n|---|---|---|---|")
    worst_time, worst_rss = 0.0, 0.0
    for name, make in HOSTILE.items():
        text = make()
        path = os.path.join(folder, "hostile.yaml")
        with open(path, "wb") as f: f.write(text if isinstance(text, bytes) else text.encode())
        runs = [run(abctl, path) for _ in range(5)]
        median = statistics.median(t for t, _, _ in runs)
        rss = max(r for _, r, _ in runs)
        worst_time, worst_rss = max(worst_time, max(t for t, _, _ in runs)), max(worst_rss, rss)
        print(f"| {name} | {median * 1000:.0f} ms | {rss:.1f} MB | {runs[0][2]} |")
    rng = random.Random(18)
    sources = sorted(os.path.join(root, "experiments", n) for n in os.listdir(os.path.join(root, "experiments")) if n.endswith(".yaml") and n != "defaults.yaml")
    times, peaks, failures = [], [], 0
    for index in range(mutations):
        with open(sources[index % len(sources)], "rb") as f: data = f.read()
        path = os.path.join(folder, f"m{index}.yaml")
        with open(path, "wb") as f: f.write(mutate(data, rng))
        seconds, rss, code = run(abctl, path)
        times.append(seconds); peaks.append(rss); failures += code != 0
    times.sort(); peaks.sort()
    p99 = times[int(0.99 * (len(times) - 1))]
    print(f"| {mutations} mutated specs ({failures} refused) | {statistics.median(times) * 1000:.0f} ms (p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms) | {peaks[-1]:.1f} MB max | |")
    worst_time, worst_rss = max(worst_time, times[-1]), max(worst_rss, peaks[-1])
    print(f"\nworst run: {worst_time * 1000:.0f} ms, {worst_rss:.1f} MB (limits: 1000 ms, 100 MB)")

if __name__ == "__main__":
    main()
