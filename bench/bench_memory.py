"""
Peak memory against input size: diffs at 1 MB and 10 MB, long histories.

Measures, with ``tracemalloc``, the peak of the memory allocated during a
call (from ``tracemalloc.start()`` just before it; the inputs already held
are not counted, the result is), divided by the input: the UTF-8 bytes of
the old and new texts for a diff or patch, and for a history both the
total of all its revision texts and the largest revision.

- ``revtrack.diff`` on the generated pairs of ``bench_diff`` at 1 MB and
  10 MB: the word diff for all six kinds of change, the other granularities
  for the 1% scattered word edits.
- ``make_patch`` and ``Patch.apply`` at 10 MB.
- ``blame`` (by line and by word) of a 10 MB document with four revisions.
- A generated history of 100,000 revisions of small texts (about 2 KB,
  one small edit each: a word replaced, a sentence added, removed or
  rewritten, a paragraph moved): building the ``Document``, ``blame`` by
  line and by word, ``dumps``/``loads`` in both forms, and
  ``SQLiteStore.put``/``get`` in a temporary file.
- The CPU time of ``blame`` at 10,000 and 100,000 revisions (untraced), to
  show it grows linearly with the revisions.

``tracemalloc`` counts Python allocations only (SQLite's own page cache and
xz's buffers are outside it) and slows the calls down, so times are not
read from the traced runs.

Set ``REVTRACK_BENCH_MAX=1MB`` to skip the 10 MB texts and
``REVTRACK_BENCH_MAX_REVISIONS`` to shorten the history, for a quick run.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import tempfile
import tracemalloc
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

import pendulum

import revtrack

from ._timing import table
from .bench_diff import CASES, SIZES, make_pair

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

REVISIONS = 100_000
# Granularities other than words are measured on this kind of change.
OTHER_CASE = "1% words"
OTHERS: tuple[Literal["char", "sentence", "line", "paragraph"], ...] = (
    "char",
    "sentence",
    "line",
    "paragraph",
)
BLAME: tuple[Literal["line", "word"], ...] = ("line", "word")
T = TypeVar("T")
_WORDS = (  # noqa: SIM905 - reads better than a column of words
    "the a of to and in for on with by from at as is are was be this "
    "that guidance rules apply people must should may can form tax fee "
    "date office service report update claim letter court notice "
    "section"
).split()


def peak(func: Callable[[], T]) -> tuple[T, int]:
    """Return what *func* returns and the peak bytes Python allocated."""
    gc.collect()
    tracemalloc.start()
    try:
        result = func()
        top = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, top


def warm_up() -> None:
    """Compile the tokenizers' patterns, so no traced call pays for it."""
    doc = document(["One. Two three\n", "One! Two four\n"])
    for by in BLAME:
        revtrack.blame(doc, granularity=by)
    for unit in OTHERS:
        revtrack.diff(
            "One. Two\n\nThree", "One! Two\n\nFour", granularity=unit
        )


def utf8(*texts: str) -> int:
    """Return the UTF-8 size of *texts* together."""
    return sum(len(t.encode("utf-8")) for t in texts)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(5, 14))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def history(n: int, seed: int = 8) -> list[str]:
    """
    Return *n* seeded revisions of a small document, one small edit apart.

    Half the edits replace a word; the rest add, remove or rewrite a
    sentence or move a paragraph. Sentences are added only while the text
    is under 2,000 characters, so it stays about that size.
    """
    rng = random.Random(seed)
    paras = [
        [_sentence(rng) for _ in range(rng.randint(1, 3))] for _ in range(8)
    ]
    texts = []
    for _ in range(n):
        texts.append("\n\n".join(" ".join(p) for p in paras) + "\n")
        roll = rng.random()
        p = rng.randrange(len(paras))
        para = paras[p]
        if roll < 0.5:
            s = rng.randrange(len(para))
            words = para[s].split(" ")
            i = rng.randrange(len(words))
            end = "." if words[i].endswith(".") else ""
            words[i] = rng.choice(_WORDS) + end
            para[s] = " ".join(words)
        elif roll < 0.75 and len(texts[-1]) < 2000:
            para.insert(rng.randrange(len(para) + 1), _sentence(rng))
        elif roll < 0.9 and len(para) > 1:
            del para[rng.randrange(len(para))]
        elif roll < 0.95:
            paras.insert(rng.randrange(len(paras)), paras.pop(p))
        else:
            para[-1] = _sentence(rng)
    return texts


def document(texts: Sequence[str]) -> revtrack.Document:
    """Return a document of *texts*, a minute apart."""
    doc = revtrack.Document("bench", "Bench")
    start = pendulum.datetime(2000, 1, 1, tz="UTC")
    doc.publish(texts[0], at=start)
    for i, text in enumerate(texts[1:], start=1):
        doc.update(text, at=start.add(minutes=i), minor=True)
    return doc


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _mb(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1e3:,.0f} kB"
    return f"{size / 1e6:,.1f} MB"


def _row(
    what: str, detail: str, size: int, largest: int | None, top: int
) -> list[str]:
    row = [
        what,
        detail,
        _mb(size),
        _mb(top),
        f"{top / size:.1f}x",
        "-" if largest is None else f"{top / largest:.0f}x",
    ]
    print(" | ".join(row), flush=True)
    return row


def _diffs(limit: int) -> list[list[str]]:
    rows = []
    for label, size in SIZES.items():
        if size < 1_000_000 or size > limit:
            continue
        for case in CASES:
            a, b = make_pair(case, size)
            n = utf8(a, b)
            _, top = peak(partial(revtrack.diff, a, b))
            rows.append(_row(f"diff, word, {label}", case, n, None, top))
            if case != OTHER_CASE:
                continue
            for granularity in OTHERS:
                _, top = peak(
                    partial(revtrack.diff, a, b, granularity=granularity)
                )
                rows.append(
                    _row(f"diff, {granularity}, {label}", case, n, None, top)
                )
            if size == limit:
                patch, top = peak(partial(revtrack.make_patch, a, b))
                rows.append(_row(f"make_patch, {label}", case, n, None, top))
                _, top = peak(partial(patch.apply, a))
                rows.append(_row(f"Patch.apply, {label}", case, n, None, top))
    return rows


def _big_blame(limit: int) -> list[list[str]]:
    label, size = max(
        ((k, v) for k, v in SIZES.items() if v <= limit), key=lambda kv: kv[1]
    )
    old, words = make_pair("1% words", size)
    texts = [
        old,
        words,
        make_pair("para insert", size)[1],
        make_pair("para move", size)[1],
    ]
    doc = document(texts)
    total, largest = utf8(*texts), max(map(utf8, texts))
    what = f"{label}, {len(texts)} revisions"
    rows = []
    for granularity in BLAME:
        _, top = peak(partial(revtrack.blame, doc, granularity=granularity))
        rows.append(_row(f"blame, {granularity}", what, total, largest, top))
    return rows


def _history(n: int) -> list[list[str]]:
    texts = history(n)
    total, largest = utf8(*texts), max(map(utf8, texts))
    what = f"{n:,} revisions"
    doc, top = peak(partial(document, texts))
    rows = [_row("build Document", what, total, largest, top)]
    del texts
    for granularity in BLAME:
        _, top = peak(partial(revtrack.blame, doc, granularity=granularity))
        rows.append(_row(f"blame, {granularity}", what, total, largest, top))
    for compact in (False, True):
        form = "compact" if compact else "full"
        data, top = peak(partial(revtrack.dumps, doc, compact=compact))
        rows.append(_row(f"dumps, {form}", what, total, largest, top))
        _, top = peak(partial(revtrack.loads, data))
        rows.append(_row(f"loads, {form}", what, total, largest, top))
        del data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        with revtrack.SQLiteStore(path) as store:
            _, top = peak(partial(store.put, doc))
            rows.append(_row("SQLiteStore.put", what, total, largest, top))
            _, top = peak(partial(store.get, doc.id))
            rows.append(_row("SQLiteStore.get", what, total, largest, top))
    return rows


def _blame_times(n: int) -> list[list[str]]:
    rows = []
    for count in sorted({max(n // 10, 2), n}):
        doc = document(history(count))
        for granularity in BLAME:
            start = _cpu()
            revtrack.blame(doc, granularity=granularity)
            took = _cpu() - start
            per = took / count * 1e6
            rows.append(
                [
                    f"{count:,}",
                    granularity,
                    f"{took:.1f} s",
                    f"{per:.0f} µs",
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
    return rows


def main() -> None:
    """Print the peak memory multiples, then blame's time per revision."""
    limit = SIZES[os.environ.get("REVTRACK_BENCH_MAX", "10MB").upper()]
    n = int(os.environ.get("REVTRACK_BENCH_MAX_REVISIONS", str(REVISIONS)))
    warm_up()
    rows = _diffs(limit) + _big_blame(limit) + _history(n)
    print()
    headers = [
        "operation",
        "input",
        "input size",
        "peak",
        "peak / input",
        "peak / largest revision",
    ]
    print(table(headers, rows))
    print()
    print(
        "Peak: the most memory Python allocated during the call "
        "(tracemalloc), the result included. Input: UTF-8 bytes of the "
        "old and new texts, or of every revision of a history."
    )
    print()
    rows = _blame_times(n)
    print()
    print(
        table(
            ["revisions", "blame by", "CPU time", "per revision"],
            rows,
        )
    )
