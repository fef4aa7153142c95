"""Fuzz parse_timestamp: ISO 8601 strings, display dates and zone names."""

from __future__ import annotations

import contextlib

from revtrack._time import (
    format_timestamp,
    parse_timestamp,
    restore_timestamp,
    zone_name,
)
from revtrack.exceptions import RevtrackError

from . import check, fields


def target(data: bytes) -> None:
    """Parse the text before a NUL, in the zone named after it, if any."""
    text, zone = fields(data, 2)
    with contextlib.suppress(RevtrackError):
        when = parse_timestamp(text, tz=zone or None)
        back = restore_timestamp(format_timestamp(when), zone_name(when))
        check(back == when, f"{when!r} came back as {back!r}")


def seeds() -> list[bytes]:
    """Return timestamps in each form the parser accepts."""
    return [
        b"2019-08-01T09:30:00+01:00",
        b"2019-08-01T09:30:00.123456789Z",
        b"20190801T0930+0100",
        b"2019-08-01 09:30\x00Europe/London",
        b"2019-08-01\x00America/New_York",
        b"31 July 2019\x00Europe/London",
        b"2019-03-31T01:30\x00Europe/London",
    ]
