"""Fuzz read_jsonl: one revision per JSON line, as the corpora are kept."""

from __future__ import annotations

import contextlib

from revtrack._formats import Limits, read_jsonl, write_jsonl
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_document

LIMITS = Limits(max_size=1 << 20)


def target(data: bytes) -> None:
    """Read the text's lines as a history; what is read writes back."""
    lines = as_text(data).splitlines()
    with contextlib.suppress(RevtrackError):
        doc = read_jsonl(lines, id="d", title="T", limits=LIMITS)
        again = read_jsonl(write_jsonl(doc), id="d", title="T")
        check(
            [r.text for r in again.revisions]
            == [r.text for r in doc.revisions],
            f"{doc!r} came back as {again!r}",
        )


def seeds() -> list[bytes]:
    """Return the JSON Lines revtrack writes."""
    return ["\n".join(write_jsonl(sample_document())).encode()]
