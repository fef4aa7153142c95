"""
Appending to a chain and looking revisions up by time, as n grows.

Appends n revisions of a 1 KB text (n = 10,000 and 100,000), then makes
10,000 random ``at()`` look-ups. Appending should cost the same per
revision at any n (linear in total), and a look-up should grow like
log n; a linear scan over the revisions is timed beside it for scale.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import time

import pendulum

import revtrack

from ._timing import table

SIZES = (10_000, 100_000)
LOOKUPS = 10_000


def _texts(n: int, rng: random.Random) -> list[str]:
    base = "".join(rng.choice("abcdefghij ") for _ in range(1024))
    return [f"{i:08d}{base[8:]}" for i in range(n)]


def _append(n: int, texts: list[str]) -> tuple[revtrack.Document, float]:
    doc = revtrack.Document("bench", "Bench")
    start = pendulum.datetime(2000, 1, 1, tz="Europe/London")
    began = time.perf_counter()
    doc.publish(texts[0], at=start)
    for i in range(1, n):
        doc.update(texts[i], at=start.add(minutes=i), minor=True)
    return doc, (time.perf_counter() - began) / n


def _lookups(
    doc: revtrack.Document, probes: list[pendulum.DateTime]
) -> tuple[float, float]:
    began = time.perf_counter()
    for when in probes:
        doc.at(when)
    fast = (time.perf_counter() - began) / len(probes)
    revisions = list(doc.revisions)
    sample = probes[:200]
    began = time.perf_counter()
    for when in sample:
        next(r for r in reversed(revisions) if r.at <= when)
    slow = (time.perf_counter() - began) / len(sample)
    return fast, slow


def main() -> None:
    """Print per-operation cost ratios between n = 10k and n = 100k."""
    rng = random.Random(20190801)
    sizes = SIZES
    if os.environ.get("REVTRACK_BENCH_QUICK"):
        sizes = (1_000, 10_000)
    texts = _texts(max(sizes), rng)
    results = {}
    for n in sizes:
        appends, lookups, scans = [], [], []
        for _ in range(3):
            doc, per_append = _append(n, texts)
            first = doc.revisions[0].at
            probes = [
                first.add(seconds=rng.randrange(n * 60))
                for _ in range(LOOKUPS)
            ]
            per_lookup, per_scan = _lookups(doc, probes)
            appends.append(per_append)
            lookups.append(per_lookup)
            scans.append(per_scan)
        results[n] = (
            statistics.median(appends),
            statistics.median(lookups),
            statistics.median(scans),
        )
    small, large = sizes
    grow = large / small
    rows = [
        [
            "append, per revision",
            f"{results[large][0] / results[small][0]:.2f}x",
            f"{grow:.0f}x (if quadratic)",
            "1.00x",
        ],
        [
            "at(), per look-up",
            f"{results[large][1] / results[small][1]:.2f}x",
            f"{grow:.0f}x (if linear)",
            f"{_log_ratio(small, large):.2f}x",
        ],
        [
            "linear scan, per look-up",
            f"{results[large][2] / results[small][2]:.2f}x",
            f"{grow:.0f}x",
            f"{grow:.0f}x (about half the chain is scanned)",
        ],
    ]
    print(
        f"Cost per operation at n={large:,} relative to n={small:,} "
        f"(medians of 3 runs, {LOOKUPS:,} look-ups each)"
    )
    print(table(["operation", "measured", "bad growth", "ideal growth"], rows))
    speedup = results[large][2] / results[large][1]
    print(
        f"\nat() is {speedup:,.0f}x faster than a linear scan at n={large:,}"
    )


def _log_ratio(small: int, large: int) -> float:
    return math.log2(large) / math.log2(small)
