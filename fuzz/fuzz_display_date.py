"""Fuzz parse_display_date: GOV.UK dates such as ``1 August 2019``."""

from __future__ import annotations

import contextlib

from revtrack._time import format_display_date, parse_display_date
from revtrack.exceptions import RevtrackError

from . import as_text, check


def target(data: bytes) -> None:
    """Parse the text as a display date, and write it back."""
    text = as_text(data)
    with contextlib.suppress(RevtrackError):
        when = parse_display_date(text, tz="Europe/London")
        again = format_display_date(when, tz="Europe/London")
        check(
            parse_display_date(again, tz="Europe/London") == when,
            f"{text!r} read as {when!r}, written as {again!r}",
        )


def seeds() -> list[bytes]:
    """Return display dates, good and nearly good."""
    return [b"1 August 2019", b"31 July 2019", b"29 February 2020", b"0 May 1"]
