"""Strict time parsing, display dates and timestamp round trips."""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revtrack import format_timestamp, parse_timestamp
from revtrack._time import (
    epoch_micros,
    format_display_date,
    parse_display_date,
    restore_timestamp,
    zone_name,
)
from revtrack.exceptions import FormatError

from .strategies import instants, zones

if TYPE_CHECKING:
    import pendulum


class TestParseTimestamp:
    """parse_timestamp()."""

    def test_offset_kept(self) -> None:
        """An ISO string with an offset keeps that offset."""
        when = parse_timestamp("2019-08-01T09:30:00+01:00")
        assert "2019-08-01T09:30:00+01:00" == when.isoformat()
        assert zone_name(when) is None

    def test_zulu(self) -> None:
        """Z means UTC."""
        assert (
            dt.timedelta(0) == parse_timestamp("2019-08-01T09:30Z").utcoffset()
        )

    def test_zone_given_is_kept(self) -> None:
        """With tz, an aware time is converted and carries the zone name."""
        when = parse_timestamp("2019-08-01T08:30Z", tz="Europe/London")
        assert "Europe/London" == zone_name(when)
        assert "2019-08-01T09:30:00+01:00" == when.isoformat()

    def test_naive_needs_zone(self) -> None:
        """A local time without an offset is refused without a zone."""
        with pytest.raises(FormatError, match="no UTC offset"):
            parse_timestamp("2019-08-01T09:30")

    def test_naive_with_zone(self) -> None:
        """A local time with a zone is read on that zone's clock."""
        when = parse_timestamp("2019-12-01T09:30", tz="Europe/London")
        assert "2019-12-01T09:30:00+00:00" == when.isoformat()

    @pytest.mark.parametrize("text", ["now", "today", "tomorrow", "", "  "])
    def test_relative_words_refused(self, text: str) -> None:
        """Pendulum's relative words are never read as the current time."""
        with pytest.raises(FormatError):
            parse_timestamp(text, tz="UTC")

    def test_date_needs_zone(self) -> None:
        """A date alone needs a zone to say which midnight."""
        with pytest.raises(FormatError, match="tz="):
            parse_timestamp("2019-08-01")
        assert "2019-08-01T00:00:00+01:00" == (
            parse_timestamp("2019-08-01", tz="Europe/London").isoformat()
        )

    def test_display_date(self) -> None:
        """GOV.UK display dates are read with a zone."""
        when = parse_timestamp("1 August 2019", tz="Europe/London")
        assert (2019, 8, 1, 0) == (when.year, when.month, when.day, when.hour)
        with pytest.raises(FormatError):
            parse_timestamp("1 August 2019")

    def test_date_objects(self) -> None:
        """Dates and naive datetime objects follow the same rules."""
        assert 1 == parse_timestamp(dt.date(2019, 8, 1), tz="UTC").day
        with pytest.raises(FormatError, match="naive"):
            parse_timestamp(dt.datetime(2019, 8, 1, 9, 30))  # noqa: DTZ001

    def test_stdlib_zoneinfo_kept(self) -> None:
        """A stdlib datetime with a ZoneInfo keeps the zone's name."""
        zone = zoneinfo.ZoneInfo("America/New_York")
        when = parse_timestamp(dt.datetime(2019, 8, 1, 9, 30, tzinfo=zone))
        assert "America/New_York" == zone_name(when)

    @pytest.mark.parametrize("text", ["2019-03-31T01:30", "2019-10-27T01:30"])
    def test_dst_gap_and_overlap_refused(self, text: str) -> None:
        """Wall times skipped or repeated by a clock change need an offset."""
        with pytest.raises(FormatError, match="ambiguous or does not exist"):
            parse_timestamp(text, tz="Europe/London")

    @pytest.mark.parametrize(
        "text", ["2019-02-30", "31 February 2019", "2019-13-01T00:00Z"]
    )
    def test_impossible_dates(self, text: str) -> None:
        """Dates that do not exist are refused."""
        with pytest.raises(FormatError):
            parse_timestamp(text, tz="UTC")

    def test_unknown_zone(self) -> None:
        """An unknown zone name is a FormatError naming it."""
        with pytest.raises(FormatError, match="Mars/Olympus"):
            parse_timestamp("2019-08-01", tz="Mars/Olympus")

    def test_wrong_type(self) -> None:
        """Numbers are not times."""
        with pytest.raises(FormatError, match="int"):
            parse_timestamp(1564650000)  # type: ignore[arg-type]

    @given(st.text(max_size=40), st.one_of(st.none(), zones()))
    def test_fuzz(self, text: str, tz: str | None) -> None:
        """Any text parses to an aware time or raises FormatError."""
        with contextlib.suppress(FormatError):
            assert parse_timestamp(text, tz=tz).tzinfo is not None


class TestRoundTrip:
    """format_timestamp() with zone_name() and restore_timestamp()."""

    @given(instants())
    def test_round_trip(self, when: pendulum.DateTime) -> None:
        """Writing and reading back gives the same instant, offset and zone."""
        back = restore_timestamp(format_timestamp(when), zone_name(when))
        # Compare instants as numbers: PEP 495 makes an ambiguous wall time
        # unequal to the same instant in another zone.
        assert when.timestamp() == back.timestamp()
        assert when.utcoffset() == back.utcoffset()
        assert zone_name(when) == zone_name(back)

    @given(instants())
    def test_iso_parse(self, when: pendulum.DateTime) -> None:
        """Parsing format_timestamp's output gives the same instant."""
        assert (
            when.timestamp()
            == parse_timestamp(format_timestamp(when)).timestamp()
        )


class TestDisplayDates:
    """GOV.UK display dates."""

    def test_late_evening_bst(self) -> None:
        """A 23:30 BST update lands on its London day, not its UTC day."""
        when = parse_timestamp("2019-08-01T22:30Z")
        assert "1 August 2019" == format_display_date(when, tz="Europe/London")
        assert "2 August 2019" == format_display_date(when, tz="Asia/Tokyo")

    @given(instants(), zones())
    def test_round_trip(self, when: pendulum.DateTime, tz: str) -> None:
        """A display date reads back as midnight of the same local day."""
        text = format_display_date(when, tz=tz)
        day = parse_display_date(text, tz=tz)
        assert when.in_tz(tz).date() == day.date()

    @pytest.mark.parametrize(
        "text", ["1 Augst 2019", "August 1, 2019", "1/8/2019"]
    )
    def test_bad(self, text: str) -> None:
        """Other date forms are refused, and the message shows the form."""
        with pytest.raises(FormatError, match="1 August 2019"):
            parse_display_date(text, tz="UTC")


class TestFuzzRegressions:
    """Inputs fuzzing found that escaped as errors other than FormatError."""

    def test_zone_folder(self) -> None:
        """A folder of the zone database is not a zone (was OSError)."""
        with pytest.raises(FormatError, match="IANA time zone"):
            parse_timestamp("2019-03-31T01:30", tz="Europe")

    @pytest.mark.parametrize(
        "text",
        ["2019-08-01 09-30", "2019-08-01T09:30+24:00", "2019-08-01T09+0199"],
    )
    def test_offset_of_a_day_or_more(self, text: str) -> None:
        """An offset Python cannot hold is refused (was ValueError)."""
        with pytest.raises(FormatError, match="expected a date and time"):
            parse_timestamp(text, tz="Europe/London")

    def test_largest_offset(self) -> None:
        """The largest offset Python holds still reads."""
        when = parse_timestamp("2019-08-01T09:30-23:59")
        assert "2019-08-01T09:30:00-23:59" == when.isoformat()

    @pytest.mark.parametrize(
        ("text", "zone"),
        [("0001-01-01T00:00+05:00", "UTC"), ("9999-12-31T23:00-05:00", "UTC")],
    )
    def test_out_of_range_in_zone(self, text: str, zone: str) -> None:
        """A time outside years 1 to 9999 in the zone asked for is refused."""
        with pytest.raises(FormatError, match="outside years 1 to 9999"):
            parse_timestamp(text, tz=zone)
        with pytest.raises(FormatError, match="outside years 1 to 9999"):
            restore_timestamp(text, zone)

    @pytest.mark.parametrize(
        "text",
        [
            "0001-01-01T00:00+05:00",
            "9999-12-31T23:59:59.999999-05:00",
            "2019-08-01T09:30:00.5+01:00",
            "1969-12-31T23:59:59.25Z",
        ],
    )
    def test_epoch_micros_at_the_ends(self, text: str) -> None:
        """Epoch microseconds are exact even where UTC leaves the calendar."""
        when = parse_timestamp(text)
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        plain = dt.datetime.fromisoformat(text)  # not pendulum's arithmetic
        expected = (plain - epoch) // dt.timedelta(microseconds=1)
        assert expected == epoch_micros(when)
