"""
How each regular expression's time grows on the inputs that attack it.

Every pattern in ``fuzz.redos.CASES`` runs, as revtrack uses it, over its
attack inputs at n and at 4n characters; the ratio of the median times is
about 4 when the time grows linearly and 16 or more when it grows with the
square. The patterns this check replaced run in the same way, for comparison
at a smaller n (at 4n they take minutes): they show the growth the fixes
removed.
"""

from __future__ import annotations

import gc
import math
import re
import statistics
import sys

from fuzz import redos

from ._timing import median_time, table

N = 20_000

#: The patterns this check replaced, by the key of the pattern now there,
#: with the n to time them at: past the new patterns' bounds, short of
#: minutes for the old ones.
_BEFORE: dict[str, tuple[re.Pattern[str], int]] = {
    "_history._HEADER": (
        re.compile(
            r"Published (?P<published>[0-9]{1,2} [A-Z][a-z]+ [0-9]{4})"
            r"(?:\s+Last updated"
            r" (?P<updated>[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}))?"
            r"(?:\s+(?:<u>)?\s*\+?\s*show all updates\s*(?:</u>)?)?",
            re.IGNORECASE,
        ),
        300,
    ),
    "_classify._CLAIMS[0][0]": (
        re.compile(r"\badd(?:ed|s)?\b[^.]*\blinks?\b", re.IGNORECASE),
        2_000,
    ),
    "_classify._CLAIMS[2][0]": (
        re.compile(
            r"\b(?:updat|chang|correct|fix)\w*\b[^.]*\blinks?\b",
            re.IGNORECASE,
        ),
        2_000,
    ),
    "_html._HTML_LINK": (
        re.compile(
            r"<a\b[^>]{0,2000}?\bhref\s*=\s*(?:\"([^\"]{0,2000})\""
            r"|'([^']{0,2000})'|([^\s>\"']{1,2000}))[^>]{0,2000}>(.{0,2000}?)"
            r"</a\s*>",
            re.IGNORECASE | re.DOTALL,
        ),
        2_000,
    ),
}


def _ratio(
    pattern: re.Pattern[str], case: redos.Case, n: int, repeat: int = 5
) -> tuple[float, float]:
    """Return the median time at *n* and the ratio of 4n's to it."""
    times = []
    for size in (n, 4 * n):

        def run(size: int = size) -> int:
            return redos.attack(pattern, case, size)

        once = median_time(run, repeat=1)
        # Each sample runs for 20 ms or more, so that timer noise and
        # other processes on the machine do not make up the ratio.
        number = max(1, math.ceil(0.02 / max(once, 1e-9)))
        times.append(median_time(run, repeat=repeat, number=number))
    return times[0], times[1] / times[0]


def main() -> None:
    """Print each pattern's time at n and its growth to 4n."""
    gc.disable()
    try:
        rows = []
        ratios = []
        found = redos.patterns()
        for key in sorted(redos.CASES):
            small, ratio = _ratio(found[key], redos.CASES[key], N)
            ratios.append(ratio)
            rows.append([key, f"{small * 1000:.2f}", f"{ratio:.1f}"])
            print(f"  {key}: {ratio:.1f}", file=sys.stderr, flush=True)
        print(f"Attack inputs at n = {N:,} and 4n characters (medians of 5):")
        print(table(["pattern", "ms at n", "4n / n"], rows))
        print(
            f"\n4n / n over {len(ratios)} patterns: median "
            f"{statistics.median(ratios):.1f}, largest {max(ratios):.1f}"
        )
        rows = []
        for key, (old, n) in _BEFORE.items():
            case = redos.CASES[key]
            before, before_ratio = _ratio(old, case, n, repeat=3)
            after, after_ratio = _ratio(found[key], case, n, repeat=3)
            rows.append(
                [
                    key,
                    f"{n:,}",
                    f"{before_ratio:.1f}",
                    f"{after_ratio:.1f}",
                    f"{before / after:.0f}",
                ]
            )
        print("\nThe patterns replaced, at n and 4n:")
        print(
            table(
                [
                    "pattern",
                    "n",
                    "before 4n / n",
                    "now 4n / n",
                    "before / now",
                ],
                rows,
            )
        )
    finally:
        gc.enable()
