#!/usr/bin/env python3
"""Reference values for abctl assignment hashing, from the reference xxHash C library
(libxxhash 0.8, Debian package libxxhash0) called through ctypes.

Writes docs/assignment-vectors.csv: unit id, salt -> seed = XXH64(salt, 0),
hash = XXH64(unit, seed), bucket = (hash >> 11) * 2**-53 (exact double, shortest repr).
Prints XXH64 test vectors of plain strings for Tests/EngineTests/XXHash64Tests.swift.

Usage: python3 scripts/assignment_vectors.py > /dev/null  (run from the repository root)
"""
import csv
import ctypes

lib = ctypes.CDLL("libxxhash.so.0")
lib.XXH64.restype = ctypes.c_uint64
lib.XXH64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]


def xxh64(data: bytes, seed: int = 0) -> int:
    return lib.XXH64(data, len(data), seed)


def bucket(h: int) -> float:
    return (h >> 11) * 2.0**-53


rows = []
salts = ["homepage-als-vs-popularity", "layer:product-page", "global-holdout-2026", "", "ünïcödé-salt", "s" * 40]
units = ["user-1", "user-2", "u", "", "session:7f3a9c", "42", "émilie@example.com", "x" * 33, "user-0000000001"]
for salt in salts:
    seed = xxh64(salt.encode("utf-8"))
    for unit in units:
        h = xxh64(unit.encode("utf-8"), seed)
        rows.append((unit, salt, f"{seed:016x}", f"{h:016x}", repr(bucket(h))))

with open("docs/assignment-vectors.csv", "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["unit_id", "salt", "seed_hex", "hash_hex", "bucket"])
    writer.writerows(rows)

for text, seed in [("", 0), ("a", 0), ("abc", 0), ("abcd", 0), ("abcdefgh", 0), ("0123456789abcdefghijklmnopqrstu", 0),
                   ("0123456789abcdefghijklmnopqrstuv", 0), ("The quick brown fox jumps over the lazy dog", 0),
                   ("The quick brown fox jumps over the lazy dog", 2654435761), ("a", 0xFFFFFFFFFFFFFFFF)]:
    print(f'("{text}", 0x{seed:x}, 0x{xxh64(text.encode(), seed):016x}),')
