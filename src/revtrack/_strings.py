"""
Common prefixes and suffixes of strings, found by comparing slices in C.

Maintainer's notes: the diff engine and the compact encoding both ask how
far two texts agree from either end, on texts from a few characters to
many megabytes; this is the one place that answers.
"""

from __future__ import annotations

__all__ = ["common_prefix", "common_suffix"]

# Slices compared at once are at most this many characters: a long common
# run is compared piece by piece, each piece once, in slices small enough
# to stay in the processor's cache.
_PIECE = 1 << 14


def common_prefix(a: str, b: str) -> int:
    """
    Return the length of the common prefix of *a* and *b*.

    Compares pieces that double in size, so that a short prefix costs a
    few comparisons; then pieces of at most 16,384 characters, so that a
    long one is compared once; then halves the last piece to find where
    the texts part.

    >>> common_prefix("abcd", "abxd")
    2
    """
    size = min(len(a), len(b))
    low, step = 0, 1
    while low < size:
        high = min(low + step, size)
        if a[low:high] != b[low:high]:
            break
        low, step = high, min(2 * step, _PIECE)
    else:
        return size
    # Invariant: a[:low] == b[:low], and they part before high.
    high -= 1
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


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
    size = min(len(a), len(b))
    if limit is not None:
        size = min(size, limit)
    end_a, end_b = len(a), len(b)
    low, step = 0, 1
    while low < size:
        high = min(low + step, size)
        if a[end_a - high : end_a - low] != b[end_b - high : end_b - low]:
            break
        low, step = high, min(2 * step, _PIECE)
    else:
        return size
    high -= 1
    while low < high:
        mid = (low + high + 1) // 2
        if a[end_a - mid : end_a - low] == b[end_b - mid : end_b - low]:
            low = mid
        else:
            high = mid - 1
    return low
