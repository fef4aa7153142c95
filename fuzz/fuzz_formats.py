"""Fuzz loads on the full form: JSON history files, as text or bytes."""

from __future__ import annotations

import contextlib

from revtrack._formats import Limits, dumps, loads
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_document

# Small enough that a fuzzed input cannot make the target slow by size.
LIMITS = Limits(max_size=1 << 20)


def target(data: bytes) -> None:
    """Read the bytes, and their text, as a history; it writes back."""
    for value in (data, as_text(data)):
        with contextlib.suppress(RevtrackError):
            doc = loads(value, limits=LIMITS)
            again = loads(dumps(doc))
            check(again == doc, f"{doc!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return full-form histories, plain and indented, and a damaged one."""
    doc = sample_document()
    text = dumps(doc)
    return [
        text.encode(),
        dumps(doc, indent=1).encode(),
        text.replace('"number":2', '"number":3').encode(),
    ]
