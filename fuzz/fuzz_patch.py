"""Fuzz Patch.parse: diff-match-patch patch text, and the JSON form."""

from __future__ import annotations

import contextlib

from revtrack._patch import Patch, make_patch
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_texts


def target(data: bytes) -> None:
    """Parse the text in both forms; a patch read writes and reads back."""
    text = as_text(data)
    for form in ("dmp", "json"):
        with contextlib.suppress(RevtrackError):
            patch = Patch.parse(text, format=form)
            again = Patch.parse(patch.format(form), format=form)
            check(again == patch, f"{patch!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return patches revtrack writes in both forms."""
    first, second, third = sample_texts()
    out = []
    for old, new in ((first, second), (second, third), ("", "a\U0001f600b")):
        patch = make_patch(old, new, granularity="char")
        out += [patch.format().encode(), patch.format("json").encode()]
    return out
