"""
revtrack's word diff against git, diff-match-patch and difflib.

Generates seeded Markdown-like documents (headings, paragraphs of one line
each, lists) at 10 KB, 100 KB, 1 MB and 10 MB, makes six kinds of change,
and times in the same run: ``revtrack.diff`` (words, the defaults), ``git
diff --no-index --word-diff=porcelain`` (the whole process, files in a
temporary folder), diff-match-patch's ``diff_main`` on characters with its
default 1-second deadline and with none, and difflib's ``SequenceMatcher``
on word tokens. Slow alternatives run in a child process that is stopped
after ``REVTRACK_BENCH_CAP`` seconds (60 by default), and the quadratic
ones are not started where they would obviously run for hours.

Times are CPU time (user + system, git's child process included), so a
busy machine does not skew the ratios much, and each is the median of
several runs: 21 at 10 KB, where a run takes milliseconds, 7 at 100 KB,
5 at 1 MB and 3 at 10 MB. A capped alternative repeats only while its
runs total under a second. The capped runs are stopped by wall time, so
on a busy machine a cap can cut a run short.

Quality: the tokens revtrack's diff changes (with ``cleanup="none"``)
against a minimal word diff (diff-match-patch on word tokens, no
deadline), where the minimal one finishes within the cap.

Set ``REVTRACK_BENCH_MAX`` (``10KB``, ``100KB``, ``1MB``, ``10MB``) to stop
at a size: ``REVTRACK_BENCH_MAX=1MB python -m bench diff``, and
``REVTRACK_BENCH_MIN`` to start at one: ``REVTRACK_BENCH_MIN=1MB`` gives
the 10 MB / 1 MB ratios without the small sizes. Those ratios are given
twice: from the table, and from runs at the two sizes taken in turn (see
:func:`scaling`).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from diff_match_patch import diff_match_patch

import revtrack
from revtrack._tokens import tokenize

from ._timing import table

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = {
    "10KB": 10_000,
    "100KB": 100_000,
    "1MB": 1_000_000,
    "10MB": 10_000_000,
}
CASES = (
    "1% words",
    "para insert",
    "para delete",
    "para move",
    "50% sentences",
    "unrelated",
)
_HEAVY = {"50% sentences", "unrelated"}


class _Writer:
    """Seeded pseudo-English: a Zipf-weighted vocabulary of made-up words."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        vocab_rng = random.Random(0)  # every document shares the vocabulary
        syllables = [a + b for a in "bcdfghklmnprstvw" for b in "aeiou"]
        self.vocab = sorted(
            {
                "".join(
                    vocab_rng.choices(syllables, k=vocab_rng.randint(1, 4))
                )
                for _ in range(6000)
            }
        )
        vocab_rng.shuffle(self.vocab)
        # Cumulative, so choices() does not sum 6,000 weights per call (the
        # same draws as passing the weights).
        self.cum_weights = list(
            itertools.accumulate(
                1 / (rank + 1) for rank in range(len(self.vocab))
            )
        )

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=n)

    def sentence(self) -> str:
        words = self.words(self.rng.randint(6, 22))
        words[0] = words[0].capitalize()
        if self.rng.random() < 0.3:
            at = self.rng.randrange(1, len(words))
            words[at - 1] += ","
        return " ".join(words) + self.rng.choice(".....?!")

    def paragraph(self) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(2, 7))]

    def document(self, size: int) -> list[list[str]]:
        blocks: list[list[str]] = []
        total = 0
        while total < size:
            roll = self.rng.random()
            if roll < 0.08:
                block = ["## " + " ".join(self.words(4)).capitalize()]
            elif roll < 0.15:
                block = [
                    "- " + " ".join(self.words(self.rng.randint(2, 9)))
                    for _ in range(self.rng.randint(2, 6))
                ]
            else:
                block = self.paragraph()
            blocks.append(block)
            total += sum(len(s) + 1 for s in block) + 1
        return blocks


def _render(blocks: list[list[str]]) -> str:
    out = []
    for block in blocks:
        if block[0].startswith("- "):
            out.append("\n".join(block))
        else:
            out.append(" ".join(block))
    return "\n\n".join(out) + "\n"


def make_pair(case: str, size: int, seed: int = 3) -> tuple[str, str]:
    """Return a seeded (old, new) pair for *case* at about *size* bytes."""
    writer = _Writer(seed)
    blocks = writer.document(size)
    old = _render(blocks)
    rng = writer.rng
    new_blocks = [list(b) for b in blocks]
    middle = len(blocks) // 2
    if case == "1% words":
        tokens = tokenize(old)
        words = [i for i, t in enumerate(tokens) if t.isalpha()]
        for i in rng.sample(words, max(1, len(words) // 100)):
            tokens[i] = writer.words(1)[0]
        return old, "".join(tokens)
    if case == "para insert":
        new_blocks.insert(middle, writer.paragraph())
    elif case == "para delete":
        del new_blocks[middle]
    elif case == "para move":
        block = new_blocks.pop(len(blocks) // 4)
        new_blocks.insert(3 * len(blocks) // 4, block)
    elif case == "50% sentences":
        for block in new_blocks:
            for i in range(len(block)):
                if rng.random() < 0.5:
                    block[i] = (
                        "- " + " ".join(writer.words(5))
                        if block[i].startswith("- ")
                        else writer.sentence()
                    )
    else:
        return old, _render(_Writer(seed + 1000).document(size))
    return old, _render(new_blocks)


def cpu_time(func: Callable[[], object], *, repeat: int) -> float:
    """
    Return the median CPU seconds (user + system) of *func*, children too.

    CPU time, not wall time: the machine may be shared, and git runs as a
    child process, so wall time would mostly measure the neighbours.
    """
    times = []
    for _ in range(repeat):
        before = _cpu()
        func()
        times.append(_cpu() - before)
    return statistics.median(times)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _git(a: str, b: str, folder: Path) -> None:
    (folder / "a.md").write_text(a, encoding="utf-8")
    (folder / "b.md").write_text(b, encoding="utf-8")
    subprocess.run(
        ["git", "diff", "--no-index", "--word-diff=porcelain", "a.md", "b.md"],
        cwd=folder,
        capture_output=True,
        check=False,
    )


def _dmp(a: str, b: str, timeout: float) -> None:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    dmp.diff_main(a, b)


def _difflib(a: str, b: str) -> None:
    matcher = difflib.SequenceMatcher(None, tokenize(a), tokenize(b))
    matcher.get_opcodes()


def minimal_changed(a: str, b: str) -> int:
    """Count the word tokens a minimal word diff inserts and deletes."""
    codes: dict[str, str] = {}
    chars = [
        "".join(codes.setdefault(t, chr(0x100 + len(codes))) for t in text)
        for text in (tokenize(a), tokenize(b))
    ]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    return sum(
        len(text)
        for op, text in dmp.diff_main(chars[0], chars[1], False)  # noqa: FBT003
        if op
    )


def revtrack_changed(a: str, b: str) -> int:
    """Count the word tokens revtrack's word diff inserts and deletes."""
    d = revtrack.diff(a, b, cleanup="none", detect_moves=False)
    return sum(len(tokenize(e.text)) for e in d.edits if e.op.name != "EQUAL")


def _child(
    conn: multiprocessing.connection.Connection,
    func: Callable[[str, str], object],
    a: str,
    b: str,
    repeat: int,
) -> None:
    times: list[float] = []
    result: object = None
    # Once the runs have taken a second, one more would not change the
    # median much: slow alternatives run once, fast ones up to *repeat*.
    while len(times) < repeat and sum(times) < 1:
        start = time.process_time()
        result = func(a, b)
        times.append(time.process_time() - start)
    conn.send((statistics.median(times), result))


def capped(
    func: Callable[[str, str], object],
    a: str,
    b: str,
    cap: float,
    *,
    repeat: int = 1,
) -> tuple[float, object] | None:
    """
    Run *func(a, b)* in a child process; None if it outlives *cap*.

    Return the median CPU time of up to *repeat* runs (fewer once they
    have taken a second), and the last run's result.
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, a, b, repeat))
    proc.start()
    ready = parent.poll(cap)
    if not ready:
        proc.kill()
        proc.join()
        return None
    elapsed, result = parent.recv()
    proc.join()
    return elapsed, result


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


def _ratio(num: float | None, den: float | None) -> str:
    if num is None or den is None or den == 0:
        return "-"
    return f"{num / den:.1f}x"


def _repeat(size: int) -> int:
    # Small inputs take milliseconds, which a busy machine moves by a
    # fifth from one run to the next: more runs steady their medians.
    # The 10 MB / 1 MB ratio divides two medians, so neither is one run.
    if size <= 10_000:
        return 21
    return 7 if size <= 100_000 else (5 if size <= 1_000_000 else 3)


def _revtrack(a: str, b: str) -> None:
    revtrack.diff(a, b)


def _dmp_default(a: str, b: str) -> None:
    _dmp(a, b, 1.0)


def _dmp_none(a: str, b: str) -> None:
    _dmp(a, b, 0)


def _measure(
    pair: tuple[str, str], case: str, label: str, folder: Path, cap: float
) -> tuple[list[str], float, float]:
    """Time one pair with every tool; return the row and our/git times."""
    a, b = pair
    size = SIZES[label]
    reps = _repeat(size)
    ours = cpu_time(functools.partial(_revtrack, a, b), repeat=reps)
    # Writing the files is part of using git as a diff library.
    git = cpu_time(functools.partial(_git, a, b, folder), repeat=reps)
    dmp1 = cpu_time(functools.partial(_dmp_default, a, b), repeat=min(reps, 3))
    over = f"> {cap:.0f} s"
    dmp0 = diffl = "-"
    ratio = quality = "-"
    # difflib runs up to 1 MB, where the difflib target is set; the
    # searches without a bound, which take longer than the cap from
    # 100 KB on the rewritten pairs, stop at 100 KB on those.
    up_to = 100_000 if case in _HEAVY else 1_000_000
    if size <= 1_000_000:
        got = capped(_difflib, a, b, cap, repeat=reps)
        diffl = over if got is None else _fmt(got[0])
        ratio = f"> {cap / ours:.0f}x" if got is None else _ratio(got[0], ours)
    if size <= up_to:
        got = capped(_dmp_none, a, b, cap, repeat=reps)
        dmp0 = over if got is None else _fmt(got[0])
        minimal = capped(minimal_changed, a, b, cap)
        if minimal is not None:
            theirs = int(str(minimal[1]))
            mine = revtrack_changed(a, b)
            extra = (mine - theirs) / theirs * 100 if theirs else 0.0
            quality = f"{mine} / {theirs} ({extra:+.1f}%)"
    row = [
        label,
        case,
        _fmt(ours),
        _fmt(git),
        _ratio(ours, git),
        _fmt(dmp1),
        dmp0,
        diffl,
        ratio,
        quality,
    ]
    return row, ours, git


def main() -> None:
    """Print the speed and quality table."""
    limit = SIZES[os.environ.get("REVTRACK_BENCH_MAX", "10MB").upper()]
    least = SIZES[os.environ.get("REVTRACK_BENCH_MIN", "10KB").upper()]
    cap = float(os.environ.get("REVTRACK_BENCH_CAP", "60"))
    rows: list[list[str]] = []
    times: dict[tuple[str, str], float] = {}
    in_turn: dict[str, float] = {}
    both = least <= SIZES["1MB"] < SIZES["10MB"] <= limit
    # The 1 MB pairs, kept for the runs in turn at 10 MB.
    small: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, size in SIZES.items():
            if not least <= size <= limit:
                continue
            for case in CASES:
                pair = make_pair(case, size)
                row, ours, _ = _measure(pair, case, label, Path(tmp), cap)
                times[label, case] = ours
                rows.append(row)
                print(" | ".join(row), flush=True)
                if label == "1MB" and both:
                    small[case] = pair
                if label == "10MB" and both:
                    # While the 10 MB pair is at hand: it takes seconds
                    # to make.
                    in_turn[case] = scaling(small.pop(case), pair)
    print()
    headers = [
        "size",
        "change",
        "revtrack",
        "git",
        "revtrack / git",
        "dmp (1 s)",
        "dmp (none)",
        "difflib",
        "difflib / revtrack",
        "changed tokens: revtrack / minimal",
    ]
    print(table(headers, rows))
    print()
    print(
        "Times are median CPU seconds of repeated runs (git's include "
        "its process). '-': not run (diff-match-patch without a deadline "
        "and the minimal diff on rewritten or unrelated texts from 1 MB, "
        f"them and difflib at 10 MB). '> {cap:.0f} s': stopped at the cap."
    )
    if not both:
        return
    print()
    print(
        "10 MB / 1 MB (target at most 12x): from the table, whose 1 MB and "
        "10 MB rows are minutes apart; and from runs taken in turn (three "
        "at 1 MB, then one at 10 MB, three times over), which the "
        "machine's drift moves less."
    )
    for case in CASES:
        big, one = times["10MB", case], times["1MB", case]
        print(
            f"10 MB / 1 MB, {case}: table {big / one:.1f}x "
            f"({_verdict(big / one)}), in turn {in_turn[case]:.1f}x "
            f"({_verdict(in_turn[case])})"
        )


def _verdict(ratio: float) -> str:
    return "met" if ratio <= 12 else "NOT met"


def scaling(
    small: tuple[str, str], large: tuple[str, str], *, rounds: int = 3
) -> float:
    """
    Return the ratio of revtrack's median times on *large* and *small*.

    The pairs are one case's at 10 MB and 1 MB. The runs alternate, three
    on *small* then one on *large*, *rounds* times, so that a change in
    the machine's load over the minutes a run takes falls on both sizes
    alike.
    """
    ones: list[float] = []
    tens: list[float] = []
    for _ in range(rounds):
        ones += (
            cpu_time(functools.partial(_revtrack, *small), repeat=1)
            for _ in range(3)
        )
        tens.append(cpu_time(functools.partial(_revtrack, *large), repeat=1))
    return statistics.median(tens) / statistics.median(ones)
