"""
HTML, terminal and Markdown views of a diff.

Maintainer's notes: every renderer first turns the diff into a flat tuple of
``_Segment`` values (equal, inserted, deleted, ignored, moved away, moved
here), so the three output formats share one reading of moves and of
ignored differences, and each only decides how a segment looks. Document
text is escaped at the last moment, piece by piece, by the renderer that
writes it: HTML escapes markup, the terminal replaces control characters and
Markdown neutralises CriticMarkup delimiters.
"""

from __future__ import annotations

import enum
import html
import itertools
import re
import reprlib
from typing import TYPE_CHECKING, Literal

import attrs

from . import _diff
from ._diff import Diff, Edit, Op
from .exceptions import InvalidRevisionError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "escape_terminal",
    "render_html",
    "render_markdown",
    "render_terminal",
]


class _Kind(enum.Enum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"
    IGNORED = "ignored"  # equal once the diff's normalisation is applied
    MOVED_FROM = "moved-from"
    MOVED_TO = "moved-to"


@attrs.frozen
class _Segment:
    """One run of the diff as a renderer sees it."""

    kind: _Kind
    old: str
    new: str
    move: int | None = None
    inner: tuple[_Segment, ...] = ()


def _simple(edit: Edit) -> _Segment:
    if edit.op is Op.INSERT:
        return _Segment(_Kind.INSERT, "", edit.text)
    if edit.op is Op.DELETE:
        return _Segment(_Kind.DELETE, edit.old_text, "")
    if edit.old is not None and edit.old != edit.text:
        return _Segment(_Kind.IGNORED, edit.old, edit.text)
    return _Segment(_Kind.EQUAL, edit.text, edit.text)


def _check_edits(edits: object, where: str) -> tuple[Edit, ...]:
    if not isinstance(edits, tuple) or not all(
        isinstance(e, Edit) for e in edits
    ):
        msg = (
            f"expected {where} to be a tuple of revtrack.Edit values, got "
            f"{reprlib.repr(edits)}; "
            "build diffs with revtrack.diff() or Edit(op, text)"
        )
        raise InvalidRevisionError(msg)
    return edits


def _segments(value: object) -> tuple[_Segment, ...]:
    """Read a diff into segments, pairing each move's two ends."""
    if not isinstance(value, Diff):
        msg = (
            f"expected a revtrack.Diff, got {reprlib.repr(value)}; "
            "pass the result of revtrack.diff(old, new)"
        )
        raise InvalidRevisionError(msg)
    edits = _check_edits(value.edits, "Diff.edits")
    inner_by_id = {
        m.id: _check_edits(m.edits, f"the edits of move {m.id}")
        for m in value.moves
    }
    sources = {
        e.move: e.old_text
        for e in edits
        if e.op is Op.DELETE and e.move is not None
    }
    out: list[_Segment] = []
    for edit in edits:
        if edit.move is None or edit.op is Op.EQUAL:
            segment = _simple(edit)
        elif edit.op is Op.DELETE:
            segment = _Segment(_Kind.MOVED_FROM, edit.old_text, "", edit.move)
        else:
            inner = _inner(
                edit.move,
                sources.get(edit.move),
                edit.text,
                inner_by_id.get(edit.move, ()),
            )
            segment = _Segment(_Kind.MOVED_TO, "", edit.text, edit.move, inner)
        if segment.old or segment.new:
            out.append(segment)
    return tuple(out)


def _inner(
    move: int, source: str | None, destination: str, edits: tuple[Edit, ...]
) -> tuple[_Segment, ...]:
    """The changes made inside a moved block, checked against its two ends."""
    if not edits:
        # A move recorded without its inner diff: work it out here, so the
        # reader still sees what changed on the way.
        if source is None or source == destination:
            edits = (Edit(Op.EQUAL, destination),)
        else:
            edits = _diff.diff(source, destination).edits
    new = "".join(e.new_text for e in edits)
    old = "".join(e.old_text for e in edits)
    if new != destination or (source is not None and old != source):
        msg = (
            f"expected the edits of move {move} to turn "
            f"{reprlib.repr(source)} into {reprlib.repr(destination)}, got "
            f"edits from {reprlib.repr(old)} to {reprlib.repr(new)}; "
            "make Move.edits the diff from the deleted to the inserted text"
        )
        raise InvalidRevisionError(msg)
    return tuple(s for s in map(_simple, edits) if s.old or s.new)


# --------------------------------------------------------------------- HTML

_Style = Literal["inline", "side-by-side"]
_STYLES = ("inline", "side-by-side")

# Colours pass WCAG AA (4.5:1) as text on their backgrounds, and nothing
# depends on colour alone: <del> is struck through, <ins> underlined, moves
# are outlined and numbered, and screen readers hear the labels below.
_CSS = """\
.rt-diff { font-family: ui-monospace, monospace; line-height: 1.5;
  white-space: pre-wrap; overflow-wrap: anywhere; color: #1f2328;
  background: #ffffff; }
.rt-diff ins { background: #dafbe1; color: #0f5323;
  text-decoration: underline; }
.rt-diff del { background: #ffebe9; color: #82071e;
  text-decoration: line-through; }
.rt-diff .rt-moved { background: #ddf4ff; color: #0a3069;
  outline: 1px dashed #0a3069; }
.rt-diff .rt-ignored { background: #f6f8fa; color: #424a53;
  text-decoration: underline dotted; }
.rt-diff ins::before, .rt-diff ins::after, .rt-diff del::before,
.rt-diff del::after { clip-path: inset(100%); height: 1px; width: 1px;
  overflow: hidden; position: absolute; white-space: nowrap; }
.rt-diff ins::before { content: " [inserted: "; }
.rt-diff ins::after { content: " end inserted] "; }
.rt-diff del::before { content: " [deleted: "; }
.rt-diff del::after { content: " end deleted] "; }
.rt-diff .rt-moved::before { clip-path: none; height: auto; width: auto;
  overflow: visible; position: static; display: inline-block;
  font-size: 0.75em; font-weight: bold; text-decoration: none; }
.rt-diff del.rt-moved::before { content: "moved away " attr(data-move) ": "; }
.rt-diff ins.rt-moved::before { content: "moved here " attr(data-move) ": "; }
.rt-diff del.rt-moved::after { content: " end moved away] "; }
.rt-diff ins.rt-moved::after { content: " end moved here] "; }
.rt-diff .rt-ignored::before { content: " [ignored difference: "; }
.rt-diff .rt-ignored::after { content: " end ignored] "; }
table.rt-diff { border-collapse: collapse; width: 100%;
  table-layout: fixed; }
table.rt-diff th, table.rt-diff td { border: 1px solid #d0d7de;
  padding: 0 0.5em; text-align: left; vertical-align: top; }
table.rt-diff tr.rt-changed td { background: #fff8c5; }
table.rt-diff td.rt-empty { background: #f6f8fa; }
"""


def _escape_html(text: str) -> str:
    # HTML parsers turn a raw CR into LF; a character reference keeps it.
    return html.escape(text, quote=True).replace("\r", "&#13;")


def _tags(segment: _Segment, *, old: bool) -> tuple[str, str]:
    """The tags around a changed segment's old or new text."""
    kind = segment.kind
    if kind is _Kind.IGNORED:
        name = "del" if old else "ins"
        attrs_ = ' class="rt-ignored" title="ignored difference"'
        return f"<{name}{attrs_}>", f"</{name}>"
    if kind in {_Kind.MOVED_FROM, _Kind.MOVED_TO}:
        away = kind is _Kind.MOVED_FROM
        name = "del" if away else "ins"
        where = "away" if away else "here"
        attrs_ = (
            f' class="rt-moved" data-move="{segment.move}"'
            f' title="moved {where} (move {segment.move})"'
        )
        return f"<{name}{attrs_}>", f"</{name}>"
    name = "ins" if kind is _Kind.INSERT else "del"
    return f"<{name}>", f"</{name}>"


def _inline(segments: Iterable[_Segment]) -> str:
    out: list[str] = []
    for segment in segments:
        if segment.kind is _Kind.EQUAL:
            out.append(_escape_html(segment.new))
            continue
        for old, text in ((True, segment.old), (False, segment.new)):
            if not text:
                continue
            start, end = _tags(segment, old=old)
            body = (
                _inline(segment.inner)
                if segment.kind is _Kind.MOVED_TO
                else _escape_html(text)
            )
            out.append(f"{start}{body}{end}")
    return "".join(out)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> list[str]:
    """Split *text* after each line break (CRLF, CR or LF)."""
    return _LINE.findall(text)


@attrs.frozen
class _Piece:
    """Text bound for one cell of the side-by-side table, with its tags."""

    text: str
    tags: tuple[tuple[str, str], ...]
    breaks: bool = True  # whether its line breaks end the column's line


def _split_lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    lines: list[list[_Piece]] = [[]]
    for piece in pieces:
        chunks = _lines(piece.text) if piece.breaks else [piece.text]
        for chunk in chunks:
            lines[-1].append(attrs.evolve(piece, text=chunk))
            if piece.breaks and chunk[-1] in "\r\n":
                lines.append([])
    if not lines[-1]:
        lines.pop()
    return lines


def _cell(line: list[_Piece] | None, side: str) -> str:
    if line is None:
        return f'<td class="rt-{side} rt-empty"></td>'
    out = [f'<td class="rt-{side}">']
    # Keep an element open across pieces that share it, so a moved block
    # is one element per line, its inner changes nested inside.
    stack: tuple[tuple[str, str], ...] = ()
    for piece in line:
        shared = 0
        for ours, theirs in zip(stack, piece.tags, strict=False):
            if ours != theirs:
                break
            shared += 1
        out.extend(end for _, end in reversed(stack[shared:]))
        out.extend(start for start, _ in piece.tags[shared:])
        out.append(_escape_html(piece.text))
        stack = piece.tags
    out.extend(end for _, end in reversed(stack))
    out.append("</td>")
    return "".join(out)


class _Table:
    """Rows of a side-by-side table, collected one block at a time."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.old: list[_Piece] = []
        self.new: list[_Piece] = []
        self.changed = False

    def at_line_start(self) -> bool:
        """Whether both columns have ended their current line."""
        for col in (self.old, self.new):
            if col and (not col[-1].breaks or col[-1].text[-1] not in "\r\n"):
                return False
        return True

    def flush(self) -> None:
        rows = itertools.zip_longest(
            _split_lines(self.old), _split_lines(self.new)
        )
        kind = "rt-changed" if self.changed else "rt-equal"
        self.rows.extend(
            f'<tr class="{kind}">{_cell(old, "old")}{_cell(new, "new")}</tr>'
            for old, new in rows
        )
        self.old, self.new, self.changed = [], [], False

    def add(self, segment: _Segment) -> None:
        if segment.kind is _Kind.EQUAL:
            for chunk in _lines(segment.new):
                if (self.old or self.new) and self.at_line_start():
                    self.flush()
                if not (self.old or self.new) and chunk[-1] in "\r\n":
                    # A whole unchanged line: most rows, so the quick way.
                    text = _escape_html(chunk)
                    self.rows.append(
                        f'<tr class="rt-equal"><td class="rt-old">{text}</td>'
                        f'<td class="rt-new">{text}</td></tr>'
                    )
                    continue
                self.old.append(_Piece(chunk, ()))
                self.new.append(_Piece(chunk, ()))
            return
        if (
            not self.changed
            and (self.old or self.new)
            and self.at_line_start()
        ):
            self.flush()
        self.changed = True
        tags: tuple[tuple[str, str], ...]
        if segment.old:
            tags = (_tags(segment, old=True),)
            self.old.append(_Piece(segment.old, tags))
        if segment.kind is _Kind.MOVED_TO:
            outer = _tags(segment, old=False)
            for inner in segment.inner:
                if inner.kind is _Kind.EQUAL:
                    self.new.append(_Piece(inner.new, (outer,)))
                    continue
                if inner.old:
                    tags = (outer, _tags(inner, old=True))
                    self.new.append(_Piece(inner.old, tags, breaks=False))
                if inner.new:
                    tags = (outer, _tags(inner, old=False))
                    self.new.append(_Piece(inner.new, tags))
        elif segment.new:
            tags = (_tags(segment, old=False),)
            self.new.append(_Piece(segment.new, tags))


def _side_by_side(segments: Iterable[_Segment]) -> list[str]:
    table = _Table()
    for segment in segments:
        table.add(segment)
    if table.old or table.new:
        table.flush()
    return table.rows


def _page(body: str, *, title: str, lang: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_escape_html(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, '
        'initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{_escape_html(title)}</title>\n"
        f"<style>\nbody {{ margin: 2em auto; max-width: 80em; "
        f"padding: 0 1em; }}\n{_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{_escape_html(title)}</h1>\n"
        '<p class="rt-diff rt-legend">Key: <ins>inserted</ins>, '
        "<del>deleted</del>; moved text is outlined and numbered.</p>\n"
        f"{body}\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def render_html(
    diff: Diff,
    *,
    style: _Style = "inline",
    standalone: bool = False,
    title: str | None = None,
    lang: str = "en",
) -> str:
    """
    Show *diff* as HTML, inline or as an old | new table.

    Every character of the two texts is escaped, so markup in a document
    shows as text. Inserted text is in ``<ins>``, deleted text in ``<del>``.
    A moved block is a ``<del class="rt-moved" data-move="N">`` where it
    was and an ``<ins class="rt-moved" data-move="N">`` where it went, the
    second showing, as nested ``<ins>`` and ``<del>``, what changed inside
    the block on the way. A difference the diff was told to ignore is a
    ``<del class="rt-ignored">`` and ``<ins class="rt-ignored">`` pair.

    >>> import revtrack
    >>> d = revtrack.diff("<b>cat", "<b>dog")
    >>> print(render_html(d))
    <div class="rt-diff rt-inline">&lt;b&gt;<del>cat</del><ins>dog</ins></div>

    Args:
        diff: The diff to show.
        style: ``"inline"`` interleaves the changes in one text;
            ``"side-by-side"`` is a ``<table>`` with the old text on the
            left and the new on the right, aligned line by line, with the
            changed words highlighted in the changed lines.
        standalone: Return a whole HTML5 page, its stylesheet embedded, with
            no scripts and no external assets, instead of a fragment.
        title: The page's title, when *standalone*; ``"Changes"`` if
            ``None``.
        lang: The language of the page, when *standalone*, as a BCP 47 tag.

    Returns:
        A ``<div>`` (inline) or ``<table>`` (side by side) with the class
        ``rt-diff``, or a whole page.

    Raises:
        InvalidRevisionError: If *diff* is not a :class:`~revtrack.Diff`,
            its moves do not match its edits, or an option has the wrong
            value.

    .. versionadded:: 0.1.0
    """
    if style not in _STYLES:
        msg = f"expected style to be one of {_STYLES}, got {style!r}"
        raise InvalidRevisionError(msg)
    for name, value in (
        ("title", "" if title is None else title),
        ("lang", lang),
    ):
        if not isinstance(value, str):
            msg = f"expected {name} to be a str, got {value!r}"
            raise InvalidRevisionError(msg)
    segments = _segments(diff)
    if style == "inline":
        body = f'<div class="rt-diff rt-inline">{_inline(segments)}</div>'
    else:
        body = "\n".join(
            [
                '<table class="rt-diff rt-side-by-side">',
                (
                    '<thead><tr><th scope="col">Old</th>'
                    '<th scope="col">New</th></tr></thead>'
                ),
                "<tbody>",
                *_side_by_side(segments),
                "</tbody>",
                "</table>",
            ]
        )
    if not standalone:
        return body
    return _page(body, title="Changes" if title is None else title, lang=lang)


# ----------------------------------------------------------------- terminal

# C0 controls but tab and LF, a CR not starting a CRLF, DEL, C1 controls,
# and the bidirectional formatting characters, which reorder what a
# terminal shows without showing themselves ("Trojan Source",
# CVE-2021-42574): ALM, LRM and RLM, the embeddings and overrides
# (U+202A-U+202E) and the isolates (U+2066-U+2069).
_CONTROL = re.compile(
    r"\r(?!\n)|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_RESET = "\x1b[0m"


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:  # noqa: PLR2004 - the C0 block
        return chr(0x2400 + code)  # U+2400 CONTROL PICTURES: ESC is ␛
    if code == 0x7F:  # noqa: PLR2004 - DEL
        return "\u2421"
    if code <= 0x9F:  # noqa: PLR2004 - C1 controls have no pictures
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"  # bidirectional formatting


def escape_terminal(text: str) -> str:
    r"""
    Show, instead of send, what in *text* could drive a terminal.

    Tab, line feed and a CR before a line feed pass; other C0 controls and
    DEL become their control pictures, C1 controls ``\x9b`` and
    bidirectional formatting characters ``\u202e``. The terminal renderer
    and the command line both use it.

    >>> escape_terminal("\x1b[2Jabc\u202edef\n")
    '␛[2Jabc\\u202edef\n'
    """
    return _CONTROL.sub(_control_picture, text)


def _paint(text: str, sgr: str | None) -> str:
    """Colour *text* line by line, so no colour runs past a line break."""
    text = escape_terminal(text)
    if sgr is None:
        return text
    out = []
    for line in _lines(text):
        body = line.rstrip("\r\n")
        if body:
            out.append(f"\x1b[{sgr}m{body}{_RESET}")
        out.append(line[len(body) :])
    return "".join(out)


_ARROWS = {_Kind.MOVED_FROM: "\u2192", _Kind.MOVED_TO: "\u2190"}
# Select Graphic Rendition codes: 31 red, 32 green, 36 cyan, 1 bold, 2 dim,
# 4 underline, 9 crossed out.
_SGR = {
    _Kind.INSERT: "32",
    _Kind.DELETE: "31",
    _Kind.IGNORED: "2",
    _Kind.MOVED_FROM: "36;9",
    _Kind.MOVED_TO: "36;4",
}
_INNER_SGR = {_Kind.INSERT: "32;4", _Kind.DELETE: "31;9"}


def _plain_change(segment: _Segment) -> str:
    if segment.kind is _Kind.DELETE:
        return f"[-{_paint(segment.old, None)}-]"
    if segment.kind is _Kind.INSERT:
        return f"{{+{_paint(segment.new, None)}+}}"
    return _paint(segment.new, None)


def _terminal(segment: _Segment, *, color: bool) -> str:
    kind = segment.kind
    if kind not in _ARROWS:
        if not color:
            return _plain_change(segment)
        text = segment.old if kind is _Kind.DELETE else segment.new
        return _paint(text, _SGR.get(kind))
    label = f"moved{_ARROWS[kind]}{segment.move}: "
    if kind is _Kind.MOVED_FROM:
        if not color:
            return f"[-{label}{_paint(segment.old, None)}-]"
        return _paint(label, "1;36") + _paint(segment.old, _SGR[kind])
    if not color:
        body = "".join(_plain_change(s) for s in segment.inner)
        return f"{{+{label}{body}+}}"
    body = "".join(
        _paint(s.old or s.new, _INNER_SGR.get(s.kind, _SGR[kind]))
        if s.kind is not _Kind.IGNORED
        else _paint(s.new, _SGR[kind])
        for s in segment.inner
    )
    return _paint(label, "1;36") + body


def render_terminal(diff: Diff, *, color: bool = True) -> str:
    r"""
    Show *diff* as text for a terminal, in colour or with git's markers.

    In colour, deleted text is red and inserted text green (ANSI escape
    codes, each line closed by a reset). A moved block is labelled
    ``moved→N:`` and crossed out in cyan where it was, and labelled
    ``moved←N:`` and underlined in cyan where it went, with the words
    inserted (green) and deleted (red) inside it on the way. Ignored
    differences show the new text, dimmed.

    Without colour, the markers are those of ``git diff --word-diff=plain``:
    ``[-deleted-]`` and ``{+inserted+}``; a move is
    ``[-moved→N: text-]`` where it was and ``{+moved←N: text+}`` where it
    went, with its inner changes marked inside. Markers in the documents
    themselves are not escaped, as in git.

    The documents cannot drive the terminal: control characters other than
    tab, line feed and a carriage return before a line feed are shown
    instead of sent, C0 controls and DEL as their Unicode control pictures
    (ESC as ``␛``, BEL as ``␇``, DEL as ``␡``) and C1 controls as ``\x9b``.
    Nor can they reorder it ("Trojan Source"): the bidirectional formatting
    characters (U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to
    U+2069) are shown as ``\u202e``.

    >>> import revtrack
    >>> d = revtrack.diff("the cat sat", "the dog sat")
    >>> print(render_terminal(d, color=False))
    the [-cat-]{+dog+} sat
    >>> render_terminal(d)
    'the \x1b[31mcat\x1b[0m\x1b[32mdog\x1b[0m sat'

    Args:
        diff: The diff to show.
        color: Use ANSI colours; with ``False``, git's plain markers.

    Returns:
        The text, its line breaks those of the documents.

    Raises:
        InvalidRevisionError: If *diff* is not a :class:`~revtrack.Diff` or
            its moves do not match its edits.

    .. versionadded:: 0.1.0
    """
    if not isinstance(color, bool):
        msg = f"expected color to be True or False, got {color!r}"
        raise InvalidRevisionError(msg)
    return "".join(_terminal(s, color=color) for s in _segments(diff))


# ----------------------------------------------------------------- Markdown

_OPENER = re.compile(r"\{(?=\+\+|--|~~|>>|==)")
_CLOSER = re.compile(r"(?<=\+\+|--|~~|<<|==)\}")


def _escape_markdown(text: str) -> str:
    """Neutralise CriticMarkup delimiters with character references."""
    text = _OPENER.sub("&#123;", text)
    text = _CLOSER.sub("&#125;", text)
    return text.replace("~>", "~&gt;")


_BREAK = re.compile(r"\r\n|\r|\n")


def _comment(segment: _Segment) -> str:
    if segment.kind is _Kind.MOVED_FROM:
        note = f"move {segment.move}: moved from here"
    else:
        note = f"move {segment.move}: moved here"
        if any(s.kind is not _Kind.EQUAL for s in segment.inner):
            inner = "".join(_plain_change(s) for s in segment.inner)
            note += ", edited: " + _BREAK.sub("\u21b5", inner)
    return f"{{>>{_escape_markdown(note)}<<}}"


def _merge_plain(segments: Iterable[_Segment]) -> Iterator[_Segment]:
    """Join neighbouring unchanged text, so no delimiter forms across them."""
    plain = (_Kind.EQUAL, _Kind.IGNORED)
    for is_plain, group in itertools.groupby(
        segments, key=lambda s: s.kind in plain
    ):
        if is_plain:
            text = "".join(s.new for s in group)
            yield _Segment(_Kind.EQUAL, text, text)
        else:
            yield from group


def render_markdown(diff: Diff) -> str:
    """
    Show *diff* as CriticMarkup, the change-tracking layer over Markdown.

    Inserted text is ``{++text++}``, deleted text ``{--text--}``, and a
    deletion directly followed by an insertion ``{~~old~>new~~}``. A moved
    block is the comment ``{>>move N: moved from here<<}`` followed by
    ``{--text--}`` where it was, and ``{>>move N: moved here<<}`` followed
    by ``{++text++}`` where it went; if it changed on the way, that comment
    goes on with ``, edited:`` and the block's inner changes in git's
    word-diff markers, its line breaks shown as ``↵``. Accepting every
    change gives the new text and rejecting every change the old one, but
    for differences the diff was told to ignore, which show the new text.

    CriticMarkup has no escape, so delimiters in the documents themselves
    are written with Markdown character references: ``{`` before ``++``,
    ``--``, ``~~``, ``>>`` or ``==`` becomes ``&#123;``, ``}`` after them
    (or after ``<<``) ``&#125;``, and ``~>`` becomes ``~&gt;``. Markdown
    shows the same characters, and CriticMarkup tools see no delimiter.
    Inside code spans and code blocks the references show as written.

    >>> import revtrack
    >>> print(render_markdown(revtrack.diff("the cat sat", "the dog sat")))
    the {~~cat~>dog~~} sat

    Args:
        diff: The diff to show.

    Returns:
        The document with its changes marked.

    Raises:
        InvalidRevisionError: If *diff* is not a :class:`~revtrack.Diff` or
            its moves do not match its edits.

    .. versionadded:: 0.1.0
    """
    out: list[str] = []
    segments = list(_merge_plain(_segments(diff)))
    i = 0
    while i < len(segments):
        segment = segments[i]
        kind = segment.kind
        after = segments[i + 1] if i + 1 < len(segments) else None
        if kind in _ARROWS:
            out.append(_comment(segment))
        if kind is _Kind.EQUAL:
            out.append(_escape_markdown(segment.new))
        elif (
            kind is _Kind.DELETE
            and after is not None
            and after.kind is _Kind.INSERT
        ):
            old, new = map(_escape_markdown, (segment.old, after.new))
            out.append(f"{{~~{old}~>{new}~~}}")
            i += 1
        elif kind in {_Kind.DELETE, _Kind.MOVED_FROM}:
            out.append(f"{{--{_escape_markdown(segment.old)}--}}")
        else:
            out.append(f"{{++{_escape_markdown(segment.new)}++}}")
        i += 1
    return "".join(out)
