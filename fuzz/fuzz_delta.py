"""Fuzz parse_delta: diff-match-patch deltas against an old text."""

from __future__ import annotations

import contextlib

from revtrack._diff import diff
from revtrack._patch import format_delta, parse_delta
from revtrack.exceptions import RevtrackError

from . import check, fields, sample_texts


def target(data: bytes) -> None:
    """Read the delta after a NUL against the old text before it."""
    old, delta = fields(data, 2)
    with contextlib.suppress(RevtrackError):
        read = parse_delta(old, delta)
        check(read.old == old, f"{delta!r} does not keep the old text")
        again = parse_delta(old, format_delta(read))
        check(again.new == read.new, f"{read!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return old texts with the deltas revtrack writes for them."""
    first, second, _ = sample_texts()
    pairs = [(first, second), ("cat", "cut"), ("a\U0001f600b", "ab%\t")]
    return [
        f"{old}\x00{format_delta(diff(old, new))}".encode()
        for old, new in pairs
    ]
