"""Tests for revtrack._strings: common prefixes and suffixes."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from revtrack._strings import common_ends, common_prefix, common_suffix


def _naive_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
        min(len(a), len(b)),
    )


class TestCommonEnds:
    """The common prefix and suffix of two strings, in characters."""

    @given(
        st.text("ab", max_size=70),
        st.text("ab", max_size=10),
        st.text("ab", max_size=10),
    )
    @example("", "", "")
    @example("a", "b", "")
    @example("ab" * 40_000, "a", "b")  # compared in pieces of _PIECE
    @example("ab" * 40_000, "", "b")
    @settings(max_examples=300)
    def test_same_as_comparing_in_turn(
        self, common: str, x: str, y: str
    ) -> None:
        """Long and short ends, one string inside the other, empty ones."""
        a, b = common + x, common + y
        assert _naive_prefix(a, b) == common_prefix(a, b)
        a, b = x + common, y + common
        assert _naive_prefix(a[::-1], b[::-1]) == common_suffix(a, b)

    @given(
        st.text("ab", max_size=30),
        st.text("ab", max_size=5),
        st.text("ab", max_size=5),
        st.integers(0, 40),
    )
    @example("ab" * 40_000, "a", "b", 50_000)
    @settings(max_examples=300)
    def test_suffix_within_the_limit(
        self, common: str, x: str, y: str, limit: int
    ) -> None:
        """A limit caps the suffix and changes nothing under it."""
        a, b = x + common, y + common
        whole = _naive_prefix(a[::-1], b[::-1])
        assert min(whole, limit) == common_suffix(a, b, limit)

    @given(st.text("ab", max_size=40), st.text("ab", max_size=40))
    @example("abab", "ab")  # the suffix would overlap the prefix
    @settings(max_examples=300)
    def test_ends_do_not_overlap(self, a: str, b: str) -> None:
        """The prefix in full, then the longest suffix of what it leaves."""
        head, tail = common_ends(a, b)
        assert _naive_prefix(a, b) == head
        rest_a, rest_b = a[head:], b[head:]
        assert _naive_prefix(rest_a[::-1], rest_b[::-1]) == tail
