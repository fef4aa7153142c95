"""The GOV.UK footer: rendering as text and HTML, and parsing it back."""

from __future__ import annotations

import contextlib
import html.parser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import Change, parse_history_text, parse_timestamp
from revtrack._history import (
    DISPLAY_ZONE,
    FIRST_PUBLISHED,
    render_history_html,
)
from revtrack._time import format_display_date
from revtrack.exceptions import FormatError

from .strategies import documents, instants, zones

if TYPE_CHECKING:
    import pendulum

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


#: Pieces of notes that try to leave the text of an HTML element.
_HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</li></ol>",
        '" onclick="x',
        "'",
        "&amp;",
        "<time datetime=x>",
        "\r\n",
        "\x00",
        "\x1b[2J",
        "\u202e",
        "\U0001f431",
    ]
)
_ELEMENTS = {"section", "dl", "dt", "dd", "details", "summary", "ol", "li"}


class _Elements(html.parser.HTMLParser):
    """Every element with its attributes, and the text of each <li>."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.items: list[str] = []
        self.open: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        self.elements.append((tag, dict(attrs)))
        self.open.append(tag)
        if tag == "li":
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        assert tag == self.open.pop()

    def handle_data(self, data: str) -> None:
        if "li" in self.open:
            self.items[-1] += data


class TestHtmlSafety:
    """No change note adds an element or attribute to history_html()."""

    @settings(max_examples=50)
    @given(
        st.lists(
            st.tuples(
                instants(),
                st.lists(st.one_of(_HOSTILE, st.characters()), max_size=8),
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_only_its_markup(
        self, entries: list[tuple[pendulum.DateTime, list[str]]]
    ) -> None:
        """Only its own tags and attribute values; each note reads back."""
        changes = [Change(at, "".join(pieces)) for at, pieces in entries]
        tree = _Elements(render_history_html(changes))
        instants_shown = {c.at.isoformat() for c in changes}
        for tag, attributes in tree.elements:
            if tag == "section":
                assert {
                    "class": "rt-history",
                    "aria-label": "Page history",
                } == attributes
            elif tag == "time":
                assert ["datetime"] == list(attributes)
                assert attributes["datetime"] in instants_shown
            else:
                assert {} == attributes
                assert tag in _ELEMENTS
        assert tree.open == []
        shown = [
            format_display_date(c.at, tz=DISPLAY_ZONE)
            + " "
            + " ".join(c.note.split())
            for c in changes
        ]
        listed = len(changes) > 1 or changes[0].note != FIRST_PUBLISHED
        assert (shown if listed else []) == tree.items


class TestHeaderRegressions:
    """The footer header's pattern: same footers, no cubic backtracking."""

    @pytest.mark.parametrize(
        "toggle",
        [
            "+ show all updates",
            "<u>+ show all updates</u>",
            "<u> +show all updates </u>",
            "<u>show all updates</u>",
            "show all updates",
            "+show all updates",
        ],
    )
    def test_toggles(self, toggle: str) -> None:
        """Each spelling of the toggle still reads."""
        text = f"Published 31 July 2019   {toggle}"
        assert [FIRST_PUBLISHED] == [c.note for c in parse_history_text(text)]

    def test_long_run_of_spaces(self) -> None:
        """A long run of spaces before a bad ending is refused, and ends."""
        with pytest.raises(FormatError, match="expected 'Published <date>'"):
            parse_history_text("Published 31 July 2019" + " " * 50_000 + "x")
