"""
Strict timestamp parsing, formatting and GOV.UK display dates.

Maintainer's notes: pendulum guesses where revtrack must refuse.
``pendulum.parse("now")`` is the current time, a naive string is read as UTC,
and an ISO string keeps only its offset. Every time value entering revtrack
goes through :func:`parse_timestamp`, which accepts a naive value only
together with an explicit zone, and keeps an IANA zone name when one is given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import zoneinfo
from typing import Any

import pendulum

from .exceptions import FormatError

__all__ = [
    "canonical_json",
    "epoch_micros",
    "format_display_date",
    "format_timestamp",
    "parse_display_date",
    "parse_timestamp",
    "restore_timestamp",
    "utc_now",
    "zone_name",
]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DISPLAY_DATE = re.compile(
    r"(?P<day>[0-9]{1,2}) (?P<month>"
    + "|".join(MONTHS)
    + r") (?P<year>[0-9]{4})"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# ISO 8601 date and time, optionally with an offset; pendulum does the rest.
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}[T ][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}"
    r"([.,][0-9]{1,9})?)?)?"
    # Python's offsets stay under 24 hours: '-30' would fail later.
    r"(?P<offset>Z|[+-](?:[01][0-9]|2[0-3])(:?[0-5][0-9])?)?"
)
_HINT = (
    "write an ISO 8601 timestamp with an offset, such as "
    "'2019-08-01T09:30:00+01:00', or pass tz='Europe/London' with a "
    "date or local time"
)


def utc_now() -> pendulum.DateTime:
    """
    Return the current time in UTC: the default clock.

    >>> utc_now().timezone_name
    'UTC'
    """
    return pendulum.now("UTC")


def _zone(tz: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    try:
        return pendulum.timezone(tz)
    # A folder of the zone database ('Europe') is an OSError.
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError) as exc:
        msg = (
            f"expected an IANA time zone name such as 'Europe/London', "
            f"got {tz!r}"
        )
        raise FormatError(msg) from exc


def _localize(naive: dt.datetime, tz: str, what: object) -> pendulum.DateTime:
    """Attach *tz* to a naive wall time, refusing skipped or doubled times."""
    zone = _zone(tz)
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        msg = (
            f"{what!r} is ambiguous or does not exist in {tz} (a daylight "
            f"saving change); give its UTC offset, such as "
            f"'{naive.isoformat()}{_offset_text(early)}'"
        )
        raise FormatError(msg)
    return pendulum.instance(early, tz=zone)


def _offset_text(value: dt.datetime) -> str:
    offset = value.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02}:{minutes:02}"


def _convert(value: pendulum.DateTime, tz: str) -> pendulum.DateTime:
    zone = _zone(tz)
    try:
        return value.in_tz(zone)
    except OverflowError as exc:  # 0001-01-01T00:00+05:00 in UTC
        msg = f"{value.isoformat()!r} in {tz} falls outside years 1 to 9999"
        raise FormatError(msg) from exc


def _from_datetime(value: dt.datetime, tz: str | None) -> pendulum.DateTime:
    if value.tzinfo is None or value.utcoffset() is None:
        if tz is None:
            msg = f"got a naive datetime {value!r}; {_HINT}"
            raise FormatError(msg)
        return _localize(value, tz, value)
    if tz is not None:
        return _convert(pendulum.instance(value), tz)
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        return pendulum.instance(value, tz=_zone(value.tzinfo.key))
    if isinstance(value, pendulum.DateTime):
        return value
    offset = value.utcoffset() or dt.timedelta()
    return pendulum.instance(
        value, tz=pendulum.FixedTimezone(int(offset.total_seconds()))
    )


def parse_timestamp(
    value: str | dt.datetime | dt.date, *, tz: str | None = None
) -> pendulum.DateTime:
    """
    Read a point in time strictly, keeping the zone it was given.

    Accepted: an aware :class:`~datetime.datetime`; an ISO 8601 string
    with a UTC offset (``Z`` or ``+01:00``). With *tz* (an IANA name) also
    a naive datetime or local ISO time, a date (midnight in *tz*), or a
    GOV.UK display date such as ``31 July 2019``. When *tz* is given, an
    aware value is converted into it, so the result carries the zone name.

    >>> parse_timestamp("2019-08-01T09:30:00+01:00")
    DateTime(2019, 8, 1, 9, 30, 0, tzinfo=FixedTimezone(3600, name="+01:00"))
    >>> parse_timestamp("31 July 2019", tz="Europe/London").isoformat()
    '2019-07-31T00:00:00+01:00'
    >>> parse_timestamp("now")
    Traceback (most recent call last):
    ...
    revtrack.exceptions.FormatError: expected a date and time, got 'now'; ...

    Raises:
        FormatError: For naive values without *tz*, times that a daylight
            saving change skips or repeats, unknown zones, and anything
            that is not a date and time.

    .. versionadded:: 0.1.0
    """
    if isinstance(value, dt.datetime):
        return _from_datetime(value, tz)
    if isinstance(value, dt.date):
        return _from_date(value, tz, value)
    if not isinstance(value, str):
        msg = (
            f"expected a str, datetime or date, got "
            f"{type(value).__name__}: {value!r}"
        )
        raise FormatError(msg)
    text = value.strip()
    if match := _DISPLAY_DATE.fullmatch(text):
        return _from_date(_display_date(match, value), tz, value)
    if _ISO_DATE.fullmatch(text):
        return _from_date(_iso_date(text, value), tz, value)
    match = _ISO_DATETIME.fullmatch(text)
    if match is None:
        msg = f"expected a date and time, got {value!r}; {_HINT}"
        raise FormatError(msg)
    try:
        parsed = pendulum.parse(text, tz=None, strict=True)
    except ValueError as exc:  # pendulum's ParserError is a ValueError
        msg = f"expected a date and time, got {value!r}; {_HINT}"
        raise FormatError(msg) from exc
    if not isinstance(parsed, pendulum.DateTime):  # pragma: no cover
        msg = f"expected a date and time, got {value!r}; {_HINT}"
        raise FormatError(msg)
    if parsed.tzinfo is None:
        if tz is None:
            msg = f"{value!r} has no UTC offset; {_HINT}"
            raise FormatError(msg)
        return _localize(parsed, tz, value)
    return _from_datetime(parsed, tz)


def _iso_date(text: str, original: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        msg = f"expected a real calendar date, got {original!r}"
        raise FormatError(msg) from exc


def _display_date(match: re.Match[str], original: str) -> dt.date:
    month = MONTHS.index(match["month"]) + 1
    try:
        return dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError as exc:
        msg = f"expected a real calendar date, got {original!r}"
        raise FormatError(msg) from exc


def _from_date(
    value: dt.date, tz: str | None, original: object
) -> pendulum.DateTime:
    if tz is None:
        msg = (
            f"{original!r} is a date without a time zone; pass "
            f"tz='Europe/London' (or another IANA zone) to read it as "
            f"midnight there"
        )
        raise FormatError(msg)
    return pendulum.datetime(value.year, value.month, value.day, tz=_zone(tz))


def parse_display_date(text: str, *, tz: str) -> pendulum.DateTime:
    """
    Read a GOV.UK display date such as ``1 August 2019`` as midnight in *tz*.

    >>> parse_display_date("1 August 2019", tz="Europe/London").isoformat()
    '2019-08-01T00:00:00+01:00'

    Raises:
        FormatError: If *text* is not a day, an English month name and a
            four-digit year, or not a real date.
    """
    match = _DISPLAY_DATE.fullmatch(text.strip())
    if match is None:
        msg = f"expected a date like '1 August 2019', got {text!r}"
        raise FormatError(msg)
    return _from_date(_display_date(match, text), tz, text)


def format_display_date(when: dt.datetime, *, tz: str) -> str:
    """
    Format *when* as GOV.UK shows dates, on the calendar of *tz*.

    >>> late = parse_timestamp("2019-08-01T23:30:00+01:00")
    >>> format_display_date(late, tz="Europe/London")
    '1 August 2019'
    >>> format_display_date(late, tz="UTC")
    '1 August 2019'
    >>> format_display_date(late, tz="Asia/Tokyo")
    '2 August 2019'
    """
    local = pendulum.instance(when).in_tz(_zone(tz))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def format_timestamp(when: dt.datetime) -> str:
    """
    Write an aware datetime as ISO 8601 with its UTC offset.

    The zone name is not part of the text: keep it beside the text (the
    history formats do) to restore the original value.

    >>> when = parse_timestamp("2019-08-01T09:30", tz="Europe/London")
    >>> format_timestamp(when)
    '2019-08-01T09:30:00+01:00'

    .. versionadded:: 0.1.0
    """
    return when.isoformat()


def zone_name(when: dt.datetime) -> str | None:
    """
    Return the IANA zone name *when* carries, or ``None`` for an offset.

    >>> zone_name(parse_timestamp("2019-08-01T09:30", tz="Europe/London"))
    'Europe/London'
    >>> zone_name(parse_timestamp("2019-08-01T09:30+01:00")) is None
    True
    """
    tz = when.tzinfo
    if isinstance(tz, zoneinfo.ZoneInfo):
        return tz.key
    return None


def restore_timestamp(text: str, zone: str | None) -> pendulum.DateTime:
    """
    Read back what :func:`format_timestamp` and :func:`zone_name` wrote.

    >>> when = parse_timestamp("2019-08-01T09:30", tz="Europe/London")
    >>> back = restore_timestamp(format_timestamp(when), zone_name(when))
    >>> back == when, back.timezone_name
    (True, 'Europe/London')

    Raises:
        FormatError: If *text* has no offset or *zone* is unknown.
    """
    value = parse_timestamp(text)
    if zone is None:
        return value
    return _convert(value, zone)


def epoch_micros(when: dt.datetime) -> int:
    """
    Return an aware datetime as whole microseconds since 1970 (exact).

    >>> epoch_micros(parse_timestamp("1970-01-01T00:00:01.5Z"))
    1500000
    """
    # Not utctimetuple(): it overflows for 0001-01-01 at a positive offset.
    offset = when.utcoffset() or dt.timedelta()
    micros = calendar.timegm(when.timetuple()) * 1_000_000 + when.microsecond
    return micros - offset // dt.timedelta(microseconds=1)


def canonical_json(value: Any) -> bytes:  # noqa: ANN401
    """
    Serialise *value* the one way digests are computed over.

    >>> canonical_json({"b": 1, "a": "é"}).decode()
    '{"a":"é","b":1}'
    """
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")
