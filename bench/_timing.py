"""Shared timing helpers: medians of repeated runs, printed as ratios."""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def median_time(
    func: Callable[[], object], *, repeat: int = 5, number: int = 1
) -> float:
    """Return the median over *repeat* runs of *number* calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def median_times(
    funcs: list[Callable[[], object]], *, repeat: int = 5
) -> list[float]:
    """
    Return each function's median time over *repeat* rounds, in seconds.

    Each round calls every function once, in turn, so a change in the
    machine's load during the run falls on all of them alike: use it when
    the result is a ratio between them.
    """
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for func, spent in zip(funcs, times, strict=True):
            start = time.perf_counter()
            func()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Format *rows* as a Markdown table under *headers*."""
    widths = [
        max(len(str(c)) for c in col)
        for col in zip(headers, *rows, strict=True)
    ]
    lines = [
        "| "
        + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))
        + " |"
        for r in [headers, ["-" * w for w in widths], *rows]
    ]
    return "\n".join(lines)
