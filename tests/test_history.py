"""The GOV.UK footer: rendering as text and HTML, and parsing it back."""

from __future__ import annotations

import contextlib
import html.parser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import revtrack
from revtrack import Change, parse_history_text, parse_timestamp
from revtrack.exceptions import FormatError

from .strategies import documents, zones

SEED = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "seed"
    / "quintet-press-release.txt"
)


def _days(
    changes: tuple[Change, ...], tz: str = "Europe/London"
) -> list[tuple[str, str]]:
    return [(str(c.day(tz=tz)), c.note) for c in changes]


class TestSeed:
    """The seed press release's own footer."""

    @pytest.fixture
    def footer(self) -> str:
        """The footer part of the seed document."""
        if not SEED.exists():
            pytest.skip("the shared seed folder is absent")
        text = SEED.read_text(encoding="utf-8")
        return text[text.index("Published ") :]

    def test_parse_seed(self, footer: str) -> None:
        """The seed's footer, toggle and bullets included, parses."""
        assert [
            ("2019-08-01", "Added link to Quintet communiqué."),
            ("2019-07-31", "First published."),
        ] == _days(parse_history_text(footer))

    def test_example_matches_seed(self, footer: str) -> None:
        """The Quintet example's footer has the seed's dates and notes."""
        namespace: dict[str, object] = {}
        path = Path(__file__).resolve().parents[1] / "examples" / "quintet.py"
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102
        build = namespace["build"]
        assert callable(build)
        doc = build()
        assert isinstance(doc, revtrack.Document)
        expected = _days(parse_history_text(footer))
        assert expected == _days(doc.change_history)
        assert expected == _days(parse_history_text(doc.history_text()))


class TestRender:
    """history_text() and history_html()."""

    def test_published_only(self) -> None:
        """A page never updated shows only its publication date."""
        doc = revtrack.Document("d", "T")
        doc.publish("x", at="2019-07-31T10:00+01:00")
        assert "Published 31 July 2019" == doc.history_text()

    def test_empty(self) -> None:
        """A document with no revisions has an empty footer."""
        assert "" == revtrack.Document("d", "T").history_text()

    def test_custom_first_note_listed(self) -> None:
        """A first note other than 'First published.' is listed, not lost."""
        doc = revtrack.Document("d", "T")
        doc.publish("x", at="2019-07-31T10:00+01:00", note="Launched.")
        assert [("2019-07-31", "Launched.")] == _days(
            parse_history_text(doc.history_text())
        )

    def test_display_zone(self) -> None:
        """Dates land on the display zone's calendar day."""
        doc = revtrack.Document("d", "T")
        doc.publish("x", at="2019-07-31T23:30+01:00")
        assert "Published 31 July 2019" == doc.history_text()
        assert "Published 31 July 2019" == doc.history_text(tz="Europe/London")
        assert "Published 1 August 2019" == doc.history_text(tz="Asia/Tokyo")

    def test_html_escapes_and_times(self) -> None:
        """Notes are escaped and every date is a <time> with the instant."""
        doc = revtrack.Document("d", "T")
        doc.publish("x", at="2019-07-31T10:00+01:00")
        doc.update("y", at="2019-08-01T10:00+01:00", note="<script>x</script>")
        page = doc.history_html()
        assert "<script>" not in page
        assert "&lt;script&gt;x&lt;/script&gt;" in page
        assert page.count('<time datetime="2019-08-01T10:00:00+01:00">') == 2

    @given(documents())
    def test_html_creates_only_its_elements(
        self, doc: revtrack.Document
    ) -> None:
        """Whatever the notes say, the HTML holds only the renderer's tags."""
        seen: set[str] = set()

        class Collect(html.parser.HTMLParser):
            def handle_starttag(self, tag: str, _: object) -> None:
                seen.add(tag)

        Collect().feed(doc.history_html())
        assert seen <= {
            "section",
            "dl",
            "dt",
            "dd",
            "time",
            "details",
            "summary",
            "ol",
            "li",
        }


class TestRoundTrip:
    """parse_history_text(history_text())."""

    @given(documents(), zones())
    def test_round_trip(self, doc: revtrack.Document, tz: str) -> None:
        """The footer reads back as the change history's days and notes."""
        # Notes are rendered on one line, so compare them that way.
        expected = [
            (d, " ".join(n.split())) for d, n in _days(doc.change_history, tz)
        ]
        assert expected == _days(
            parse_history_text(doc.history_text(tz=tz), tz=tz), tz
        )


class TestParseErrors:
    """Bad footers."""

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ("", "empty"),
            ("Hello", "line 1"),
            (
                (
                    "Published 31 July 2019\n\n1. 31 July 2019 A.\n"
                    "3. 1 August 2019 B."
                ),
                "line 4",
            ),
            (
                (
                    "Published 31 July 2019\nLast updated 1 August 2019\n\n"
                    "1. 31 July 2019 A.\n2. 1 August 2019 B."
                ),
                "line 5",
            ),
            (
                (
                    "Published 30 July 2019\nLast updated 1 August 2019\n\n"
                    "1. 1 August 2019 A.\n2. 31 July 2019 B."
                ),
                "Published",
            ),
            (
                (
                    "Published 31 July 2019\nLast updated 2 August 2019\n\n"
                    "1. 1 August 2019 A.\n2. 31 July 2019 B."
                ),
                "Last updated",
            ),
            (
                "Published 31 July 2019\nLast updated 1 August 2019",
                "must list",
            ),
            ("Published 31 Julember 2019", "line 1"),
            ("Published 31 July 2019\n\n1. 31 July 2019", "line 3"),
        ],
    )
    def test_bad(self, text: str, where: str) -> None:
        """Each bad footer raises FormatError saying where."""
        with pytest.raises(FormatError, match=where):
            parse_history_text(text)

    def test_not_str(self) -> None:
        """Bytes are refused with a FormatError."""
        with pytest.raises(FormatError, match="bytes"):
            parse_history_text(b"Published 31 July 2019")  # type: ignore[arg-type]

    @given(st.text(max_size=200))
    def test_fuzz(self, text: str) -> None:
        """Any text parses into newest-first changes or raises FormatError."""
        with contextlib.suppress(FormatError):
            changes = parse_history_text(text)
            assert changes
            assert [c.at for c in changes] == sorted(
                (c.at for c in changes), reverse=True
            )

    @given(
        st.lists(
            st.sampled_from(
                [
                    "Published 31 July 2019",
                    "Last updated 1 August 2019",
                    "+ show all updates",
                    "1. 1 August 2019 A.",
                    "2. 31 July 2019 First published.",
                    "",
                    "- ",
                ]
            ),
            max_size=8,
        )
    )
    def test_fuzz_structured(self, lines: list[str]) -> None:
        """Shuffled footer lines parse or raise FormatError, nothing else."""
        with contextlib.suppress(FormatError):
            parse_history_text("\n".join(lines))


class TestChange:
    """Change values."""

    def test_day(self) -> None:
        """day() is the calendar day in the given zone."""
        change = Change(parse_timestamp("2019-08-01T23:30+01:00"), "x")
        assert "2019-08-01" == str(change.day())
        assert "2019-08-02" == str(change.day(tz="Asia/Tokyo"))
