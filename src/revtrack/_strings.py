"""
Common prefixes and suffixes of strings, found by comparing slices in C.

Maintainer's notes: the diff engine and the compact encoding both ask how
far two texts agree from either end, on texts from a few characters to
many megabytes; this is the one place that answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["common_ends", "common_prefix", "common_suffix"]

# Slices compared at once are at most this many characters: a long common
# run is compared piece by piece, each piece once, in slices small enough
# to stay in the processor's cache.
_PIECE = 1 << 14


def common_prefix(a: str, b: str) -> int:
    """
    Return the length of the common prefix of *a* and *b*.

    Texts that differ at their first character cost one comparison
    (most blocks a diff compares do). Otherwise compares pieces that
    double in size, so that a short prefix costs a few comparisons; then
    pieces of at most 16,384 characters, so that a long one is compared
    once; then halves the last piece to find where the texts part.

    >>> common_prefix("abcd", "abxd")
    2
    """
    if a[:1] != b[:1]:
        return 0
    return _agreeing(
        min(len(a), len(b)), lambda low, high: a[low:high] == b[low:high]
    )


def common_suffix(a: str, b: str, limit: int | None = None) -> int:
    """
    Return the length of the common suffix of *a* and *b*, at most *limit*.

    The same search as :func:`common_prefix`, from the ends. A limit keeps
    the suffix clear of a prefix already found.

    >>> common_suffix("abcd", "xbcd")
    3
    >>> common_suffix("abcd", "xbcd", 2)
    2
    """
    if a[-1:] != b[-1:] or limit == 0:
        return 0
    size = min(len(a), len(b))
    end_a, end_b = len(a), len(b)
    return _agreeing(
        size if limit is None else min(size, limit),
        lambda low, high: (
            a[end_a - high : end_a - low] == b[end_b - high : end_b - low]
        ),
    )


def common_ends(a: str, b: str) -> tuple[int, int]:
    """
    Return the lengths of the common prefix and suffix of *a* and *b*.

    The suffix is taken from what the prefix leaves, so the two never
    overlap and ``a[head : len(a) - tail]`` is what differs.

    >>> common_ends("abab", "ab")
    (2, 0)
    >>> common_ends("one two", "one, two")
    (3, 4)
    """
    head = common_prefix(a, b)
    return head, common_suffix(a, b, min(len(a), len(b)) - head)


def _agreeing(size: int, same: Callable[[int, int], bool]) -> int:
    """
    Return the largest n up to *size* for which ``same(0, n)`` holds.

    ``same(low, high)`` tells whether the two texts agree on the characters
    from *low* to *high*, counted from where they are compared.
    """
    low, step = 0, 1
    while low < size:
        high = min(low + step, size)
        if not same(low, high):
            break
        low, step = high, min(2 * step, _PIECE)
    else:
        return size
    # Invariant: the texts agree up to low, and part before high.
    high -= 1
    while low < high:
        mid = (low + high + 1) // 2
        if same(low, mid):
            low = mid
        else:
            high = mid - 1
    return low
