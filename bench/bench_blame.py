"""
Blame against re-diffing every consecutive pair from scratch.

Blames the latest revision of the awesome-readme corpus (958 revisions)
by line and by word, and times, in the same run, ``revtrack.diff`` over
every consecutive pair of revisions with the same options blame uses
(the granularity, the other options at their defaults). The diffs are
the floor: blame must diff every pair too, so the ratio is the cost of
carrying the spans through the chain. Target: at most 2x.

The corpus lives outside the repository, in ``../shared/corpora``; the
benchmark says so and stops when it is absent.
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import revtrack

from ._timing import table

if TYPE_CHECKING:
    from collections.abc import Callable

GRANULARITIES: tuple[Literal["line", "word"], ...] = ("line", "word")

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "awesome-readme.jsonl.gz"
)
REPEAT = 3


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    """Print blame's time against the consecutive diffs alone."""
    if not CORPUS.exists():
        print(f"skipped: no corpus at {CORPUS}")
        return
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    doc = revtrack.Document("awesome", "Awesome", allow_backwards=True)
    doc.publish(rows[0]["text"], at=rows[0]["timestamp"])
    for row in rows[1:]:
        doc.update(row["text"], at=row["timestamp"], minor=True)
    texts = [r.text for r in doc.revisions]
    print(
        f"awesome-readme: {len(texts)} revisions, latest "
        f"{len(texts[-1]):,} characters; median of {REPEAT} runs"
    )
    results = []
    for granularity in GRANULARITIES:

        def diffs(g: Literal["line", "word"] = granularity) -> None:
            for a, b in pairwise(texts):
                if a != b:
                    revtrack.diff(a, b, granularity=g)

        def blame(g: Literal["line", "word"] = granularity) -> None:
            revtrack.blame(doc, granularity=g)

        # Interleave the two, so drift in machine load hits both alike.
        diff_times, blame_times = [], []
        for _ in range(REPEAT):
            diff_times.append(_timed(diffs))
            blame_times.append(_timed(blame))
        d = statistics.median(diff_times)
        b = statistics.median(blame_times)
        results.append(
            [granularity, f"{d:.2f} s", f"{b:.2f} s", f"{b / d:.2f}x"]
        )
    print(
        table(
            ["granularity", "consecutive diffs", "blame", "blame / diffs"],
            results,
        )
    )
