"""Fuzz UnifiedDiff.parse: the unified diffs GNU patch and git apply read."""

from __future__ import annotations

import contextlib

import pendulum

from revtrack._unified import UnifiedDiff, unified_diff
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_texts


def target(data: bytes) -> None:
    """Parse the text as a unified diff; a diff read writes and reads back."""
    with contextlib.suppress(RevtrackError):
        parsed = UnifiedDiff.parse(as_text(data))
        again = UnifiedDiff.parse(parsed.format())
        check(again == parsed, f"{parsed!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return unified diffs that revtrack writes, with and without times."""
    first, second, third = sample_texts()
    when = pendulum.datetime(2019, 8, 1, 9, 30, tz="Europe/London")
    return [
        unified_diff(first, second).encode(),
        unified_diff(
            second,
            third.rstrip("\n"),
            old_label="a/page.md",
            new_label="b/page.md",
            old_time=when,
            new_time=when.add(days=1),
            context=1,
        ).encode(),
        (
            b"diff --git a/x b/x\nindex 1..2\n--- a/x\n+++ b/x\n"
            b"@@ -0,0 +1 @@\n+y\n"
        ),
    ]
