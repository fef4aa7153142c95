"""Fuzz loads_diff: diffs in the ``revtrack.diff`` JSON format."""

from __future__ import annotations

import contextlib

from revtrack._diff import diff
from revtrack._diffjson import dumps_diff, loads_diff
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_texts


def target(data: bytes) -> None:
    """Read the text as a diff; a diff read writes and reads back."""
    with contextlib.suppress(RevtrackError):
        read = loads_diff(as_text(data))
        again = loads_diff(dumps_diff(read))
        check(again == read, f"{read!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return diffs revtrack writes: words with moves, and characters."""
    first, second, third = sample_texts()
    moved = "One two.\n\nThree four.\n\nFive six.\n"
    shuffled = "Five six.\n\nOne two.\n\nThree four!\n"
    return [
        dumps_diff(diff(first, third)).encode(),
        dumps_diff(diff(moved, shuffled, granularity="paragraph")).encode(),
        dumps_diff(diff("cat", "CUT", granularity="char")).encode(),
        dumps_diff(diff(second, third, ignore_case=True), indent=1).encode(),
    ]
