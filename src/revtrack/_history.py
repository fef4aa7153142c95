"""The public history: Change, the GOV.UK footer, and reading it back."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import attrs
import pendulum

from ._time import format_display_date, parse_display_date
from .exceptions import FormatError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

__all__ = [
    "DISPLAY_ZONE",
    "FIRST_PUBLISHED",
    "Change",
    "parse_history_text",
    "render_history_html",
    "render_history_text",
]

DISPLAY_ZONE = "Europe/London"
FIRST_PUBLISHED = "First published."
_TOGGLE = "+ show all updates"


@attrs.frozen
class Change:
    """
    One entry of a document's public change history.

    Attributes:
        at: When the change was published.
        note: The public change note, such as ``First published.``.

    >>> from revtrack import parse_timestamp
    >>> change = Change(parse_timestamp("2019-08-01T23:30+01:00"), "Fixed.")
    >>> change.day(), change.day(tz="Asia/Tokyo")
    (Date(2019, 8, 1), Date(2019, 8, 2))

    .. versionadded:: 0.1.0
    """

    at: pendulum.DateTime
    note: str

    def day(self, *, tz: str = DISPLAY_ZONE) -> pendulum.Date:
        """Return the day of :attr:`at` on *tz*'s calendar, as footers do."""
        return pendulum.instance(self.at).in_tz(tz).date()


def _entries(
    changes: Sequence[Change],
) -> tuple[Change | None, Change | None]:
    """Return the first publication and the latest update, if any."""
    if not changes:
        return None, None
    published = changes[-1]
    updated = changes[0] if len(changes) > 1 else None
    return published, updated


def _show_list(changes: Sequence[Change]) -> bool:
    # GOV.UK shows no list for a page never updated; but a first note other
    # than "First published." would be lost, so it is listed then.
    return len(changes) > 1 or (
        len(changes) == 1 and changes[0].note != FIRST_PUBLISHED
    )


def render_history_text(
    changes: Sequence[Change], *, tz: str = DISPLAY_ZONE
) -> str:
    """
    Render a change history (newest first) as GOV.UK's footer, in plain text.

    >>> from revtrack import parse_timestamp
    >>> new = Change(parse_timestamp("2019-08-01T10:00Z"), "Added a link.")
    >>> old = Change(parse_timestamp("2019-07-31T10:00Z"), "First published.")
    >>> print(render_history_text([new, old]))
    Published 31 July 2019
    Last updated 1 August 2019
    + show all updates
    <BLANKLINE>
    1. 1 August 2019 Added a link.
    2. 31 July 2019 First published.
    """
    published, updated = _entries(changes)
    if published is None:
        return ""
    lines = [f"Published {format_display_date(published.at, tz=tz)}"]
    if updated is not None:
        lines.append(f"Last updated {format_display_date(updated.at, tz=tz)}")
    if _show_list(changes):
        lines += [_TOGGLE, ""]
        lines += [
            f"{i}. {format_display_date(c.at, tz=tz)} {_one_line(c.note)}"
            for i, c in enumerate(changes, start=1)
        ]
    return "\n".join(lines)


def _one_line(note: str) -> str:
    return " ".join(note.split())


def _time_element(when: dt.datetime, tz: str) -> str:
    iso = html.escape(when.isoformat())
    return f'<time datetime="{iso}">{format_display_date(when, tz=tz)}</time>'


def render_history_html(
    changes: Sequence[Change], *, tz: str = DISPLAY_ZONE
) -> str:
    """
    Render a change history (newest first) as accessible HTML.

    Each date is a ``<time>`` element with the exact instant; notes are
    escaped; the full list sits in a ``<details>`` element, which browsers
    and screen readers know how to open.

    >>> from revtrack import parse_timestamp
    >>> print(render_history_html([
    ...     Change(parse_timestamp("2019-07-31T10:00+01:00"), "<b>Hi</b>"),
    ... ]))
    <section class="rt-history" aria-label="Page history">
    <dl>
    <dt>Published</dt>
    <dd><time datetime="2019-07-31T10:00:00+01:00">31 July 2019</time></dd>
    </dl>
    <details>
    <summary>Show all updates</summary>
    <ol>
    <li><time datetime="2019-07-31T10:00:00+01:00">31 July 2019</time>
    &lt;b&gt;Hi&lt;/b&gt;</li>
    </ol>
    </details>
    </section>
    """
    published, updated = _entries(changes)
    lines = ['<section class="rt-history" aria-label="Page history">', "<dl>"]
    if published is not None:
        lines += [
            "<dt>Published</dt>",
            f"<dd>{_time_element(published.at, tz)}</dd>",
        ]
    if updated is not None:
        lines += [
            "<dt>Last updated</dt>",
            f"<dd>{_time_element(updated.at, tz)}</dd>",
        ]
    lines.append("</dl>")
    if _show_list(changes):
        lines += ["<details>", "<summary>Show all updates</summary>", "<ol>"]
        lines += [
            f"<li>{_time_element(c.at, tz)} {html.escape(_one_line(c.note))}"
            "</li>"
            for c in changes
        ]
        lines += ["</ol>", "</details>"]
    lines.append("</section>")
    return "\n".join(lines)


_DATE = r"[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}"
_HEADER = re.compile(
    rf"Published (?P<published>{_DATE})"
    rf"(?:\s+Last updated (?P<updated>{_DATE}))?"
    # No two white space runs touch: "\s+(?:<u>)?\s*" would try every
    # split of a long run of spaces (cubic time on a failing footer).
    r"(?:\s+(?:<u>\s*)?(?:\+\s*)?show all updates\s*(?:</u>)?)?",
    re.IGNORECASE,
)
_ENTRY_START = re.compile(r"(?:[-*]\s+)?[0-9]+\.\s")
_ENTRY = re.compile(
    rf"(?:[-*]\s+)?(?P<number>[0-9]+)\.\s+(?P<date>{_DATE})\s+(?P<note>\S.*)"
)


def parse_history_text(
    text: str, *, tz: str = DISPLAY_ZONE
) -> tuple[Change, ...]:
    """
    Read a GOV.UK footer back into its change history, newest first.

    It reads what :meth:`revtrack.Document.history_text` writes, and the
    footer as it appears on GOV.UK pages ("Published 31 July 2019 Last
    updated 1 August 2019 + show all updates", then "1. 1 August 2019
    Added ..." lines, with or without list bullets). Dates become midnight
    in *tz*.

    >>> footer = '''Published 31 July 2019 Last updated 1 August 2019
    ... <u>+ show all updates</u>
    ...
    ... - 1. 1 August 2019 Added link to Quintet communiqué.
    ... - 2. 31 July 2019 First published.'''
    >>> for change in parse_history_text(footer):
    ...     print(change.day(), change.note)
    2019-08-01 Added link to Quintet communiqué.
    2019-07-31 First published.

    Raises:
        FormatError: If the text is not such a footer, or its entries are
            misnumbered, out of order, or disagree with its dates; the
            message names the line.

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        msg = f"expected the footer as a str, got {type(text).__name__}"
        raise FormatError(msg)
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1)]
    lines = [(i, line) for i, line in lines if line]
    if not lines:
        msg = "expected a footer starting 'Published <date>', got empty text"
        raise FormatError(msg)
    # The header may span lines ("Last updated" and the toggle on their own).
    header_end = 0
    while header_end < len(lines) and not _ENTRY_START.match(
        lines[header_end][1]
    ):
        header_end += 1
    first_line = lines[0][0]
    header_text = " ".join(line for _, line in lines[:header_end])
    header = _HEADER.fullmatch(header_text)
    if header is None:
        msg = (
            f"line {first_line}: expected 'Published <date>' and optionally "
            f"'Last updated <date>', got {header_text[:80]!r}"
        )
        raise FormatError(msg)
    published = _date(header["published"], first_line, tz)
    updated = None
    if header["updated"]:
        updated = _date(header["updated"], first_line, tz)
    changes: list[Change] = []
    for number, line in lines[header_end:]:
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            msg = (
                f"line {number}: expected an entry like "
                f"'1. 1 August 2019 Added a link.', got {line[:80]!r}"
            )
            raise FormatError(msg)
        if int(entry["number"]) != len(changes) + 1:
            msg = (
                f"line {number}: expected entry {len(changes) + 1}, got "
                f"entry {entry['number']}"
            )
            raise FormatError(msg)
        at = _date(entry["date"], number, tz)
        if changes and at > changes[-1].at:
            msg = (
                f"line {number}: entries must be newest first, but "
                f"{entry['date']} is later than the entry above it"
            )
            raise FormatError(msg)
        changes.append(Change(at, entry["note"]))
    if not changes:
        if updated:
            msg = (
                f"line {first_line}: a footer with 'Last updated' must list "
                f"its updates"
            )
            raise FormatError(msg)
        return (Change(published, FIRST_PUBLISHED),)
    _check_agrees(changes, published, updated, first_line)
    return tuple(changes)


def _check_agrees(
    changes: list[Change],
    published: pendulum.DateTime,
    updated: pendulum.DateTime | None,
    line: int,
) -> None:
    if changes[-1].at != published:
        msg = (
            f"line {line}: 'Published' says {published.date()}, but the "
            f"oldest entry is {changes[-1].at.date()}"
        )
        raise FormatError(msg)
    expected = changes[0].at if len(changes) > 1 else None
    if updated != expected:
        got = "nothing" if updated is None else str(updated.date())
        want = "nothing" if expected is None else str(expected.date())
        msg = (
            f"line {line}: 'Last updated' should say {want} (the newest "
            f"entry), got {got}"
        )
        raise FormatError(msg)


def _date(text: str, line: int, tz: str) -> pendulum.DateTime:
    try:
        return parse_display_date(text, tz=tz)
    except FormatError as exc:
        msg = f"line {line}: {exc}"
        raise FormatError(msg) from exc
