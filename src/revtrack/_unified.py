r"""
Unified diffs: the line-based format GNU patch and git apply read.

Maintainer's notes: a line ends at ``\n`` and only there, as in GNU diff, so
a CRLF file's lines keep their ``\r`` and a lone ``\r`` is an ordinary
character; a last line without ``\n`` gets the ``\ No newline at end of
file`` marker. The line diff uses diff-match-patch's line mode with no
deadline (the whole-document diff engine in ``_diff.py`` works in words).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import attrs
import pendulum
from diff_match_patch import diff_match_patch

from ._diff import Edit, Op
from .exceptions import (
    InvalidRevisionError,
    PatchConflictError,
    PatchError,
    PatchFormatError,
)

__all__ = ["UnifiedDiff", "UnifiedHunk", "unified_diff"]

_NO_NEWLINE = "\\ No newline at end of file\n"
_OPS = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
_SIGNS = {Op.EQUAL: " ", Op.DELETE: "-", Op.INSERT: "+"}
_FROM_SIGN = {" ": Op.EQUAL, "-": Op.DELETE, "+": Op.INSERT}


@functools.cache
def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no deadline: the same texts give the same diff
    return dmp


def _lines(text: str) -> list[str]:
    r"""Split *text* after each ``\n``; the last line may lack one."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _line_rows(old: str, new: str) -> list[tuple[Op, str]]:
    dmp = _engine()
    chars1, chars2, table = dmp.diff_linesToChars(old, new)
    raw = dmp.diff_main(chars1, chars2, False)  # noqa: FBT003
    dmp.diff_charsToLines(raw, table)
    return [(_OPS[op], line) for op, text in raw for line in _lines(str(text))]


def _check_time(name: str, value: object) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        msg = (
            f"{name} must be an aware datetime or None, got {value!r};"
            " give it a zone, e.g. pendulum.datetime(..., tz='Europe/London')"
        )
        raise InvalidRevisionError(msg)
    offset = value.utcoffset()
    if offset is not None and offset.seconds % 60:
        msg = (
            "a unified diff writes offsets in whole minutes, got"
            f" {offset.total_seconds():+.0f} s in {value!r}; convert the"
            " time to UTC first"
        )
        raise InvalidRevisionError(msg)
    return value


def _check_old_time(value: object) -> dt.datetime | None:
    return _check_time("old_time", value)


def _check_new_time(value: object) -> dt.datetime | None:
    return _check_time("new_time", value)


def _check_label(value: object) -> str:
    if not isinstance(value, str) or re.search(r"[\t\r\n]", value):
        msg = (
            "a label must be a str without tabs or line breaks (a header"
            f" line holds it), got {value!r}"
        )
        raise PatchFormatError(msg)
    return value


def _check_edits(edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    for i, edit in enumerate(edits):
        if (
            not isinstance(edit, Edit)
            or edit.move is not None
            or edit.old is not None
            or "\n" in edit.text[:-1]
            or not edit.text
        ):
            msg = (
                f"unified hunk line {i} must be an Edit of one line (text"
                f" ending in at most one '\\n'), got {edit!r}"
            )
            raise PatchFormatError(msg)
    return tuple(edits)


@attrs.frozen
class UnifiedHunk:
    r"""
    One ``@@`` block of a unified diff.

    Attributes:
        old_start: The header's first old line number, from 1 (the line
            before the hunk when it takes no old lines, as GNU diff writes).
        new_start: The same for the new text.
        lines: One :class:`Edit` per line, its text ending in ``\n``
            unless it is a last line without one.

    >>> h = UnifiedHunk(1, 1, (Edit(Op.DELETE, "a\n"),
    ...                        Edit(Op.INSERT, "b\n")))
    >>> h.old_count, h.new_count
    (1, 1)

    .. versionadded:: 0.1.0
    """

    old_start: int = attrs.field(validator=attrs.validators.ge(0))
    new_start: int = attrs.field(validator=attrs.validators.ge(0))
    lines: tuple[Edit, ...] = attrs.field(converter=_check_edits)

    @property
    def old_count(self) -> int:
        """How many old lines the hunk covers."""
        return sum(e.op is not Op.INSERT for e in self.lines)

    @property
    def new_count(self) -> int:
        """How many new lines the hunk covers."""
        return sum(e.op is not Op.DELETE for e in self.lines)


def _format_time(value: dt.datetime) -> str:
    offset = value.strftime("%z")
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") + "000 " + offset


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


@attrs.frozen
class UnifiedDiff:
    r"""
    A unified diff of one file: its two headers and its hunks.

    :func:`unified_diff` writes one from two texts; :meth:`parse` reads one
    and :meth:`format` writes it back.

    Attributes:
        old_label: The name on the ``---`` line.
        new_label: The name on the ``+++`` line.
        old_time: The old text's timestamp, or ``None``.
        new_time: The new text's timestamp, or ``None``.
        hunks: The hunks, in order.

    >>> u = UnifiedDiff.parse(unified_diff("a\nb\n", "a\nc\n"))
    >>> u.apply("a\nb\n")
    'a\nc\n'

    .. versionadded:: 0.1.0
    """

    old_label: str = attrs.field(converter=_check_label)
    new_label: str = attrs.field(converter=_check_label)
    old_time: dt.datetime | None = attrs.field(
        default=None, converter=_check_old_time
    )
    new_time: dt.datetime | None = attrs.field(
        default=None, converter=_check_new_time
    )
    hunks: tuple[UnifiedHunk, ...] = ()

    def format(self) -> str:
        r"""
        Write the diff as text that GNU patch and git apply read.

        >>> print(unified_diff("a\n", "b\n"), end="")
        --- old
        +++ new
        @@ -1 +1 @@
        -a
        +b

        .. versionadded:: 0.1.0
        """
        out = []
        for sign, label, time in (
            ("---", self.old_label, self.old_time),
            ("+++", self.new_label, self.new_time),
        ):
            stamp = "" if time is None else "\t" + _format_time(time)
            out.append(f"{sign} {label}{stamp}\n")
        for hunk in self.hunks:
            out.append(
                f"@@ -{_range(hunk.old_start, hunk.old_count)}"
                f" +{_range(hunk.new_start, hunk.new_count)} @@\n"
            )
            for line in hunk.lines:
                out.append(_SIGNS[line.op] + line.text)
                if not line.text.endswith("\n"):
                    out.append("\n" + _NO_NEWLINE)
        return "".join(out)

    @classmethod
    def parse(cls, text: str) -> UnifiedDiff:
        r"""
        Read a unified diff of one file.

        Lines before the ``---`` header (``diff``, ``index`` lines) are
        skipped, as GNU patch does.

        Raises:
            PatchFormatError: If *text* is not a unified diff of one file;
                the message names the line number.

        >>> u = UnifiedDiff.parse("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n")
        >>> u.old_label, [e.text for e in u.hunks[0].lines]
        ('a', ['x\n', 'y\n'])

        .. versionadded:: 0.1.0
        """
        if not isinstance(text, str):
            msg = f"expected a unified diff as str, got {type(text).__name__}"
            raise PatchFormatError(msg)
        return _parse(text)

    def apply(self, text: str) -> str:
        """
        Apply the diff to *text*, each hunk at the lines it names.

        Raises:
            PatchConflictError: If a hunk's context and deleted lines are not
                at its place; ``.failed`` lists those hunks (from 0).

        >>> UnifiedDiff.parse(unified_diff("x", "y")).apply("x")
        'y'

        .. versionadded:: 0.1.0
        """
        if not isinstance(text, str):
            msg = f"can only patch a str, got {type(text).__name__}"
            raise PatchError(msg)
        lines = _lines(text)
        out: list[str] = []
        cursor = 0
        failed = []
        for i, hunk in enumerate(self.hunks):
            old = [e.text for e in hunk.lines if e.op is not Op.INSERT]
            start = hunk.old_start - 1 if old else hunk.old_start
            if start < cursor or lines[start : start + len(old)] != old:
                failed.append(i)
                continue
            out += lines[cursor:start]
            out += [e.text for e in hunk.lines if e.op is not Op.DELETE]
            cursor = start + len(old)
        if failed:
            msg = (
                f"hunks {failed} (from 0) of {len(self.hunks)} do not match"
                " the lines they name; is this the text the diff was made"
                " from?"
            )
            raise PatchConflictError(msg, failed=tuple(failed))
        out += lines[cursor:]
        return "".join(out)


def unified_diff(
    old: str,
    new: str,
    *,
    old_label: str = "old",
    new_label: str = "new",
    old_time: dt.datetime | None = None,
    new_time: dt.datetime | None = None,
    context: int = 3,
) -> str:
    r"""
    Write the line-by-line differences of two texts as a unified diff.

    Args:
        old: The old text.
        new: The new text.
        old_label: The name on the ``---`` line (``a/README.md`` for git).
        new_label: The name on the ``+++`` line.
        old_time: An aware timestamp for the ``---`` line, written as GNU
            diff does (``2019-08-01 09:30:00.000000000 +0100``).
        new_time: The same for the ``+++`` line.
        context: Unchanged lines to show around each change.

    Returns:
        The diff; empty when the texts are equal.

    Raises:
        InvalidRevisionError: If a text is not a str or a time is naive.
        PatchFormatError: If a label holds a tab or line break.

    >>> print(unified_diff("a\nb\n", "a\nc", old_label="v1",
    ...     new_label="v2",
    ...     new_time=pendulum.datetime(2019, 8, 1, 9, 30, tz="Europe/London")),
    ...     end="")
    --- v1
    +++ v2	2019-08-01 09:30:00.000000000 +0100
    @@ -1,2 +1,2 @@
     a
    -b
    +c
    \ No newline at end of file

    .. versionadded:: 0.1.0
    """
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, str):
            msg = f"{name} must be a str, got {type(value).__name__}"
            raise InvalidRevisionError(msg)
    if not isinstance(context, int) or context < 0:
        msg = f"context must be an int >= 0, got {context!r}"
        raise InvalidRevisionError(msg)
    result = UnifiedDiff(old_label, new_label, old_time, new_time)
    if old == new:
        return ""
    rows = _line_rows(old, new)
    old_before = [0]
    new_before = [0]
    for op, _ in rows:
        old_before.append(old_before[-1] + (op is not Op.INSERT))
        new_before.append(new_before[-1] + (op is not Op.DELETE))
    groups: list[list[int]] = []
    for i, (op, _) in enumerate(rows):
        if op is Op.EQUAL:
            continue
        if groups and i - groups[-1][1] - 1 <= 2 * context:
            groups[-1][1] = i
        else:
            groups.append([i, i])
    hunks = []
    for first, last in groups:
        low = max(0, first - context)
        high = min(len(rows), last + context + 1)
        lines = tuple(Edit(op, line) for op, line in rows[low:high])
        old_count = old_before[high] - old_before[low]
        new_count = new_before[high] - new_before[low]
        hunks.append(
            UnifiedHunk(
                old_before[low] + (old_count > 0),
                new_before[low] + (new_count > 0),
                lines,
            )
        )
    return attrs.evolve(result, hunks=tuple(hunks)).format()


_HUNK = re.compile(
    r"@@ -([0-9]{1,15})(?:,([0-9]{1,15}))?"
    r" \+([0-9]{1,15})(?:,([0-9]{1,15}))? @@(?: .*)?\n?\Z",
    re.DOTALL,
)
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})"
    # Offsets stay under 24 hours, as Python's do.
    r"(?:\.([0-9]{1,9}))? ([+-])([01][0-9]|2[0-3])([0-5][0-9])\Z"
)


def _parse_time(stamp: str, number: int) -> dt.datetime:
    match = _TIME.match(stamp)
    if match is None:
        msg = (
            f"line {number}: expected a timestamp like"
            f" '2019-08-01 09:30:00.000000000 +0100', got {stamp!r}"
        )
        raise PatchFormatError(msg)
    year, month, day, hour, minute, second = (
        int(g) for g in match.groups()[:6]
    )
    fraction = (match[7] or "0").ljust(9, "0")
    sign = -1 if match[8] == "-" else 1
    offset = sign * (int(match[9]) * 3600 + int(match[10]) * 60)
    try:
        return pendulum.datetime(
            year,
            month,
            day,
            hour,
            minute,
            second,
            int(fraction[:6]),
            tz=pendulum.FixedTimezone(offset),
        )
    except ValueError as exc:
        msg = f"line {number}: {stamp!r} is not a real time ({exc})"
        raise PatchFormatError(msg) from exc


def _parse_header(
    line: str, sign: str, number: int
) -> tuple[str, dt.datetime | None]:
    if not line.startswith(sign + " "):
        msg = f"line {number}: expected a '{sign} ' header, got {line[:80]!r}"
        raise PatchFormatError(msg)
    body = line[len(sign) + 1 :].removesuffix("\n")
    if "\r" in body:
        msg = f"line {number}: a header cannot hold a carriage return"
        raise PatchFormatError(msg)
    label, tab, stamp = body.partition("\t")
    return label, (_parse_time(stamp, number) if tab else None)


def _parse(text: str) -> UnifiedDiff:
    lines = _lines(text)
    number = 0
    while number < len(lines) and not lines[number].startswith("--- "):
        if lines[number].startswith(("+++", "@@")):
            break
        number += 1
    if number >= len(lines):
        msg = "line 1: no '--- ' header: this is not a unified diff"
        raise PatchFormatError(msg)
    old_label, old_time = _parse_header(lines[number], "---", number + 1)
    if number + 1 >= len(lines):
        msg = f"line {number + 2}: expected a '+++ ' header, got the end"
        raise PatchFormatError(msg)
    new_label, new_time = _parse_header(lines[number + 1], "+++", number + 2)
    index = number + 2
    hunks: list[UnifiedHunk] = []
    old_end = 0
    while index < len(lines):
        head = _HUNK.match(lines[index])
        if head is None:
            msg = (
                f"line {index + 1}: expected a hunk header like"
                f" '@@ -1,3 +1,4 @@', got {lines[index][:80]!r}"
            )
            raise PatchFormatError(msg)
        where = index + 1
        old_start, new_start = int(head[1]), int(head[3])
        want_old = 1 if head[2] is None else int(head[2])
        want_new = 1 if head[4] is None else int(head[4])
        index += 1
        body: list[Edit] = []
        have_old = have_new = 0
        while (have_old < want_old or have_new < want_new) or (
            index < len(lines) and lines[index].startswith("\\")
        ):
            if index >= len(lines):
                msg = (
                    f"line {index + 1}: the hunk at line {where} promises"
                    f" {want_old} old and {want_new} new lines, the text"
                    f" ends after {have_old} and {have_new}"
                )
                raise PatchFormatError(msg)
            line = lines[index]
            index += 1
            if line.startswith("\\"):
                if (
                    not body
                    or body[-1].text == "\n"
                    or not body[-1].text.endswith("\n")
                ):
                    msg = (
                        f"line {index}: a '\\' marker must follow a"
                        " non-empty line, once"
                    )
                    raise PatchFormatError(msg)
                last = body.pop()
                body.append(Edit(last.op, last.text[:-1]))
                continue
            op = Op.EQUAL if line == "\n" else _FROM_SIGN.get(line[:1])
            content = "\n" if line == "\n" else line[1:]
            if op is None or not line.endswith("\n"):
                msg = (
                    f"line {index}: expected ' ', '-' or '+' and a line"
                    f" ending, got {line[:80]!r}"
                )
                raise PatchFormatError(msg)
            have_old += op is not Op.INSERT
            have_new += op is not Op.DELETE
            if have_old > want_old or have_new > want_new:
                msg = (
                    f"line {index}: more lines than the hunk at line {where}"
                    f" promises ({want_old} old, {want_new} new)"
                )
                raise PatchFormatError(msg)
            body.append(Edit(op, content))
        if not body:
            msg = f"line {where}: a hunk must hold at least one line"
            raise PatchFormatError(msg)
        first_old = old_start - 1 if want_old else old_start
        if (want_old == 0 and old_start == 0 and hunks) or (
            want_old and old_start == 0
        ):
            msg = f"line {where}: old line 0 can only start an empty hunk"
            raise PatchFormatError(msg)
        if first_old < old_end:
            msg = (
                f"line {where}: the hunk starts at old line {old_start},"
                " before the previous hunk ends; hunks must be in order"
            )
            raise PatchFormatError(msg)
        old_end = first_old + want_old
        hunks.append(UnifiedHunk(old_start, new_start, tuple(body)))
    return UnifiedDiff(old_label, new_label, old_time, new_time, tuple(hunks))
