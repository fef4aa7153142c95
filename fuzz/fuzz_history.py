"""Fuzz parse_history_text: the GOV.UK "Published ... Last updated" footer."""

from __future__ import annotations

import contextlib

from revtrack._history import parse_history_text, render_history_text
from revtrack._model import Document
from revtrack.exceptions import RevtrackError

from . import as_text, check


def target(data: bytes) -> None:
    """
    Read the text as a footer; a footer read renders and reads back.

    A footer shows each note on one line, so the notes read back are the
    notes read with their runs of white space made single spaces.
    """
    with contextlib.suppress(RevtrackError):
        rendered = render_history_text(parse_history_text(as_text(data)))
        again = render_history_text(parse_history_text(rendered))
        check(again == rendered, f"{rendered!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return footers that revtrack writes and GOV.UK shows."""
    doc = Document("d", "Title")
    doc.publish("a", at="2019-07-31T10:00+01:00")
    one = doc.history_text()
    doc.update("b", at="2019-08-01T10:00+01:00", note="Added a link.")
    doc.update("c", at="2019-08-02T10:00+01:00", note="Fixed a date.")
    return [
        one.encode(),
        doc.history_text().encode(),
        (
            "Published 31 July 2019 Last updated 1 August 2019\n"
            "<u>+ show all updates</u>\n\n"
            "- 1. 1 August 2019 Added link to Quintet communiqu\u00e9.\n"
            "- 2. 31 July 2019 First published.\n"
        ).encode(),
    ]
