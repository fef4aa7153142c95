"""HTML, terminal and Markdown views of diffs, with moves and escaping."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import (
    Diff,
    Edit,
    Move,
    Op,
    render_html,
    render_markdown,
    render_terminal,
)
from revtrack._render import _CSS, escape_terminal
from revtrack.exceptions import InvalidRevisionError

from .corpora import NAMES, pairs
from .strategies import texts

# ------------------------------------------------------------------ helpers

E = Edit

#: Moves a sentence down, editing two words of it on the way.
MOVED = Diff(
    (
        E(Op.EQUAL, "Intro.\n"),
        E(Op.DELETE, "Moved para here.\n", move=1),
        E(Op.EQUAL, "Middle\n"),
        E(Op.INSERT, "Moved paragraph here!\n", move=1),
    ),
    moves=(
        Move(
            1,
            source=1,
            destination=3,
            edits=(
                E(Op.EQUAL, "Moved "),
                E(Op.DELETE, "para"),
                E(Op.INSERT, "paragraph"),
                E(Op.EQUAL, " here"),
                E(Op.DELETE, "."),
                E(Op.INSERT, "!"),
                E(Op.EQUAL, "\n"),
            ),
        ),
    ),
)
EMPTY = Diff(())
ONLY_INSERT = Diff((E(Op.INSERT, "new <text>"),))
ONLY_DELETE = Diff((E(Op.DELETE, "old & gone"),))
CRLF = Diff(
    (
        E(Op.EQUAL, "one\r\n"),
        E(Op.DELETE, "two"),
        E(Op.INSERT, "2"),
        E(Op.EQUAL, "\r\nthree\r\n"),
    )
)
EMOJI = Diff(
    (
        E(Op.EQUAL, "I \u2764\ufe0f "),
        E(Op.DELETE, "\U0001f431"),
        E(Op.INSERT, "\U0001f3f3\ufe0f\u200d\U0001f308"),
    )
)
IGNORED = Diff((E(Op.EQUAL, "a \u201cb\u201d", old='a "b"'),))


#: Pieces of markup and references that must show as text.
_MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</div>",
        "<b class='x'>",
        '"',
        "&amp;",
        "&#13;",
        "<!--",
        "-->",
        "<![CDATA[",
        "\x1b[31m",
    ]
)


def doc_texts() -> st.SearchStrategy[str]:
    """Document texts, many with markup in them."""
    pieces = st.one_of(_MARKUP, texts())
    return st.lists(pieces, max_size=4).map("".join)


@st.composite
def edit_runs(draw: st.DrawFn) -> tuple[Edit, ...]:
    """Runs of edits of every kind, with texts full of awkward characters."""
    ops = st.sampled_from([Op.EQUAL, Op.INSERT, Op.DELETE, None])
    runs = draw(st.lists(st.tuples(ops, doc_texts()), max_size=6))
    return tuple(
        Edit(op, text)
        if op is not None
        else Edit(Op.EQUAL, text, old=draw(doc_texts()))  # ignored
        for op, text in runs
    )


@st.composite
def diffs(draw: st.DrawFn) -> Diff:
    """Hand-built diffs, most with a moved block edited on the way."""
    before, middle, after = (
        draw(edit_runs()),
        draw(edit_runs()),
        draw(edit_runs()),
    )
    inner = draw(edit_runs())
    if not draw(st.booleans()):
        return Diff((*before, *middle, *after))
    old = "".join(e.old_text for e in inner)
    new = "".join(e.new_text for e in inner)
    source, destination = len(before), len(before) + 1 + len(middle)
    move = Move(7, source=source, destination=destination, edits=inner)
    edits = (
        *before,
        Edit(Op.DELETE, old, move=7),
        *middle,
        Edit(Op.INSERT, new, move=7),
        *after,
    )
    return Diff(edits, moves=(move,))


def any_diffs() -> st.SearchStrategy[Diff]:
    """Hand-built diffs and diffs the engine computed."""
    return st.one_of(
        diffs(), st.builds(revtrack.diff, doc_texts(), doc_texts())
    )


# ---------------------------------------------------------------- HTML tree

_VOID = {"meta"}


class _Tree(HTMLParser):
    """Every element, attribute and run of text, with the elements open."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[tuple[tuple[tuple[str, str], ...], str]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert tag == self.stack.pop()[0]

    def handle_data(self, data: str) -> None:
        path = tuple((t, a.get("class") or "") for t, a in self.stack)
        self.text.append((path, data))

    def read(self, *, within: str, without: str) -> str:
        """The text inside a *within* class, outside *without* elements."""
        return "".join(
            data
            for path, data in self.text
            if any(within in cls.split() for _, cls in path)
            and all(tag != without for tag, _ in path)
        )


_CLASSES = {
    "rt-diff",
    "rt-inline",
    "rt-side-by-side",
    "rt-moved",
    "rt-ignored",
    "rt-equal",
    "rt-changed",
    "rt-old",
    "rt-new",
    "rt-empty",
    "rt-legend",
}
_FRAGMENT_TAGS = {"div", "ins", "del", "table", "thead", "tbody", "tr"}
_FRAGMENT_TAGS |= {"th", "td"}
_TITLE = re.compile(r"(ignored difference|moved (away|here) \(move \d+\))")


def _check_element(
    tag: str, attributes: dict[str, str | None], allowed: set[str]
) -> None:
    """Only the renderer's own elements and attributes, with its values."""
    assert tag in allowed
    for name, value in attributes.items():
        assert value is not None
        if name == "class":
            assert set(value.split()) <= _CLASSES
        elif name == "data-move":
            assert value.isdigit()
        elif name == "title":
            assert _TITLE.fullmatch(value)
        else:
            assert (name, value) == ("scope", "col")


def _check_elements(tree: _Tree, allowed: set[str]) -> None:
    """Only the renderer's elements, all of them closed."""
    for tag, attributes in tree.elements:
        _check_element(tag, attributes, allowed)
    assert tree.stack == []


# --------------------------------------------------------------------- HTML


class TestRenderHtmlInline:
    """render_html(style="inline")."""

    def test_move_with_inner_edits(self) -> None:
        """A move is a moved <del> at its source and a moved <ins> after."""
        expected = (
            '<div class="rt-diff rt-inline">Intro.\n'
            '<del class="rt-moved" data-move="1" title="moved away (move 1)">'
            "Moved para here.\n</del>"
            "Middle\n"
            '<ins class="rt-moved" data-move="1" title="moved here (move 1)">'
            "Moved <del>para</del><ins>paragraph</ins> here"
            "<del>.</del><ins>!</ins>\n</ins></div>"
        )
        assert expected == render_html(MOVED)

    def test_move_without_inner_edits(self) -> None:
        """Without inner edits, the renderer works out the block's changes."""
        bare = attrs.evolve(MOVED, moves=(Move(1, source=1, destination=3),))
        tree = _Tree(render_html(bare))
        moved = "".join(
            data
            for path, data in tree.text
            if ("ins", "rt-moved") in path and ("del", "") not in path
        )
        assert "Moved paragraph here!\n" == moved
        assert any(("del", "") in path for path, _ in tree.text)

    def test_empty(self) -> None:
        """An empty diff is an empty container."""
        assert '<div class="rt-diff rt-inline"></div>' == render_html(EMPTY)

    def test_only_insert(self) -> None:
        """Inserted text is escaped inside <ins>."""
        expected = (
            '<div class="rt-diff rt-inline"><ins>new &lt;text&gt;</ins></div>'
        )
        assert expected == render_html(ONLY_INSERT)

    def test_only_delete(self) -> None:
        """Deleted text is escaped inside <del>."""
        expected = (
            '<div class="rt-diff rt-inline"><del>old &amp; gone</del></div>'
        )
        assert expected == render_html(ONLY_DELETE)

    def test_crlf(self) -> None:
        """A CR is a character reference, which HTML parsers keep as CR."""
        expected = (
            '<div class="rt-diff rt-inline">one&#13;\n<del>two</del>'
            "<ins>2</ins>&#13;\nthree&#13;\n</div>"
        )
        assert expected == render_html(CRLF)

    def test_emoji(self) -> None:
        """Emoji and joiner sequences pass through whole."""
        expected = (
            '<div class="rt-diff rt-inline">I \u2764\ufe0f '
            "<del>\U0001f431</del>"
            "<ins>\U0001f3f3\ufe0f\u200d\U0001f308</ins></div>"
        )
        assert expected == render_html(EMOJI)

    def test_ignored(self) -> None:
        """An ignored difference shows both texts, marked as ignored."""
        expected = (
            '<div class="rt-diff rt-inline">'
            '<del class="rt-ignored" title="ignored difference">'
            "a &quot;b&quot;</del>"
            '<ins class="rt-ignored" title="ignored difference">'
            "a \u201cb\u201d</ins></div>"
        )
        assert expected == render_html(IGNORED)

    def test_script_is_text(self) -> None:
        """A document's <script> element shows as text."""
        d = revtrack.diff("", '<script>alert("x")</script>')
        tree = _Tree(render_html(d))
        assert [] == [tag for tag, _ in tree.elements if tag == "script"]
        assert '<script>alert("x")</script>' == tree.read(
            within="rt-diff", without="del"
        )

    @settings(max_examples=100, deadline=None)
    @given(any_diffs())
    def test_escapes_everything(self, d: Diff) -> None:
        """Only the renderer's markup; each side reads as its text."""
        tree = _Tree(render_html(d))
        _check_elements(tree, _FRAGMENT_TAGS)
        assert d.old == tree.read(within="rt-diff", without="ins")
        assert d.new == tree.read(within="rt-diff", without="del")


class TestRenderHtmlSideBySide:
    """render_html(style="side-by-side")."""

    def test_move_with_inner_edits(self) -> None:
        """Lines align, and inner edits nest in one moved element per line."""
        expected = [
            '<table class="rt-diff rt-side-by-side">',
            (
                '<thead><tr><th scope="col">Old</th>'
                '<th scope="col">New</th></tr></thead>'
            ),
            "<tbody>",
            (
                '<tr class="rt-equal"><td class="rt-old">Intro.\n</td>'
                '<td class="rt-new">Intro.\n</td></tr>'
            ),
            (
                '<tr class="rt-changed"><td class="rt-old">'
                '<del class="rt-moved" data-move="1" '
                'title="moved away (move 1)">'
                "Moved para here.\n</del></td>"
                '<td class="rt-new rt-empty"></td></tr>'
            ),
            (
                '<tr class="rt-equal"><td class="rt-old">Middle\n</td>'
                '<td class="rt-new">Middle\n</td></tr>'
            ),
            (
                '<tr class="rt-changed"><td class="rt-old rt-empty"></td>'
                '<td class="rt-new">'
                '<ins class="rt-moved" data-move="1" '
                'title="moved here (move 1)">'
                "Moved <del>para</del><ins>paragraph</ins> here"
                "<del>.</del><ins>!</ins>\n</ins></td></tr>"
            ),
            "</tbody>",
            "</table>",
        ]
        actual = render_html(MOVED, style="side-by-side")
        assert "\n".join(expected) == actual

    def test_changed_words_in_changed_lines(self) -> None:
        """A line changed in place is one row, its changed words marked."""
        rows = _rows(render_html(CRLF, style="side-by-side"))
        expected = [
            ("rt-equal", "one\r\n", "one\r\n"),
            ("rt-changed", "<del>two</del>\r\n", "<ins>2</ins>\r\n"),
            ("rt-equal", "three\r\n", "three\r\n"),
        ]
        assert expected == rows

    def test_inserted_lines_get_rows(self) -> None:
        """Whole inserted lines get their own rows, beside empty cells."""
        d = Diff(
            (
                E(Op.EQUAL, "a\n"),
                E(Op.INSERT, "b\nc\n"),
                E(Op.EQUAL, "d\n"),
            )
        )
        expected = [
            ("rt-equal", "a\n", "a\n"),
            ("rt-changed", None, "<ins>b\n</ins>"),
            ("rt-changed", None, "<ins>c\n</ins>"),
            ("rt-equal", "d\n", "d\n"),
        ]
        assert expected == _rows(render_html(d, style="side-by-side"))

    def test_split_unchanged_line(self) -> None:
        """An unchanged line split over two edits is still one equal row."""
        d = Diff((E(Op.EQUAL, "a"), E(Op.EQUAL, "b\n"), E(Op.INSERT, "c\n")))
        expected = [
            ("rt-equal", "ab\n", "ab\n"),
            ("rt-changed", None, "<ins>c\n</ins>"),
        ]
        assert expected == _rows(render_html(d, style="side-by-side"))

    def test_empty(self) -> None:
        """An empty diff is a table with a header and no rows."""
        assert [] == _rows(render_html(EMPTY, style="side-by-side"))

    def test_only_delete(self) -> None:
        """Deleted text stands on the old side only."""
        expected = [("rt-changed", "<del>old &amp; gone</del>", None)]
        assert expected == _rows(
            render_html(ONLY_DELETE, style="side-by-side")
        )

    def test_only_insert(self) -> None:
        """Inserted text stands on the new side only."""
        expected = [("rt-changed", None, "<ins>new &lt;text&gt;</ins>")]
        assert expected == _rows(
            render_html(ONLY_INSERT, style="side-by-side")
        )

    def test_emoji(self) -> None:
        """Emoji are kept whole in their cells."""
        expected = [
            (
                "rt-changed",
                "I \u2764\ufe0f <del>\U0001f431</del>",
                "I \u2764\ufe0f <ins>\U0001f3f3\ufe0f\u200d\U0001f308</ins>",
            )
        ]
        assert expected == _rows(render_html(EMOJI, style="side-by-side"))

    @settings(max_examples=100, deadline=None)
    @given(any_diffs())
    def test_escapes_everything(self, d: Diff) -> None:
        """Only the renderer's markup; each column reads as its text."""
        tree = _Tree(render_html(d, style="side-by-side"))
        _check_elements(tree, _FRAGMENT_TAGS)
        assert d.old == tree.read(within="rt-old", without="ins")
        assert d.new == tree.read(within="rt-new", without="del")


_ROW = re.compile(r'<tr class="([^"]+)">(.*?)</tr>', re.DOTALL)
_CELL = re.compile(
    r'<td class="rt-(?:old|new)( rt-empty)?">(.*?)</td>', re.DOTALL
)


def _rows(table: str) -> list[tuple[str, str | None, str | None]]:
    """The class and the two cells' markup of each row, CRs unescaped."""
    out: list[tuple[str, str | None, str | None]] = []
    for kind, cells in _ROW.findall(table):
        old, new = (
            None if empty else body.replace("&#13;", "\r")
            for empty, body in _CELL.findall(cells)
        )
        out.append((kind, old, new))
    return out


_STYLES: tuple[Literal["inline", "side-by-side"], ...] = (
    "inline",
    "side-by-side",
)


class TestRenderHtmlStandalone:
    """render_html(standalone=True)."""

    def test_page(self) -> None:
        """A whole page: doctype, language, charset, title, embedded CSS."""
        page = render_html(MOVED, standalone=True, title="A <title>")
        tree = _Tree(page)
        tags = [tag for tag, _ in tree.elements]
        assert page.startswith("<!DOCTYPE html>\n")
        assert [("html", {"lang": "en"})] == [
            e for e in tree.elements if e[0] == "html"
        ]
        assert ("meta", {"charset": "utf-8"}) in tree.elements
        assert 1 == tags.count("style")
        titles = [
            data for path, data in tree.text if path[-1:] == (("title", ""),)
        ]
        assert ["A <title>"] == titles

    def test_no_scripts_or_external_assets(self) -> None:
        """Nothing is fetched or run: no scripts, links, images or URLs."""
        page = render_html(MOVED, standalone=True)
        tree = _Tree(page)
        tags = {tag for tag, _ in tree.elements}
        assert set() == tags & {"script", "link", "img", "iframe", "object"}
        attributes = {n for _, a in tree.elements for n in a}
        assert set() == attributes & {"src", "href", "style", "onload"}
        assert "url(" not in page
        assert "@import" not in page

    def test_default_title_and_lang(self) -> None:
        """The title defaults to "Changes"; the language is an option."""
        tree = _Tree(render_html(EMPTY, standalone=True, lang="de"))
        titles = [
            data for path, data in tree.text if path[-1:] == (("title", ""),)
        ]
        assert ["Changes"] == titles
        assert ("html", {"lang": "de"}) in tree.elements

    @settings(max_examples=50, deadline=None)
    @given(any_diffs(), texts(), st.sampled_from(_STYLES))
    def test_escapes_everything(
        self, d: Diff, title: str, style: Literal["inline", "side-by-side"]
    ) -> None:
        """Only the renderer's elements, whatever the title; texts intact."""
        page = render_html(d, style=style, standalone=True, title=title)
        tree = _Tree(page)
        page_tags = {"html", "head", "meta", "title", "style", "body"}
        page_tags |= {"main", "h1", "p"}
        allowed = _FRAGMENT_TAGS | page_tags
        for tag, attributes in tree.elements:
            assert tag in allowed
            if tag in _FRAGMENT_TAGS:
                _check_element(tag, attributes, _FRAGMENT_TAGS)
        assert tree.stack == []
        column = "rt-inline" if style == "inline" else "rt-old"
        assert d.old == tree.read(within=column, without="ins")


_COLOURS = re.compile(
    r"\{[^}]*?background: (#[0-9a-f]{6});\s*color: (#[0-9a-f]{6})"
)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


class TestStylesheet:
    """The embedded CSS."""

    def test_contrast(self) -> None:
        """Every text colour on its background passes WCAG AA (4.5:1)."""
        pairs = _COLOURS.findall(_CSS)
        ratios = [
            (max(a, b) + 0.05) / (min(a, b) + 0.05)
            for a, b in ((_luminance(bg), _luminance(fg)) for bg, fg in pairs)
        ]
        assert len(pairs) >= 4
        assert [] == [r for r in ratios if r < 4.5]

    def test_not_colour_alone(self) -> None:
        """Changes also differ by decoration and by screen-reader labels."""
        for needle in (
            "text-decoration: underline",
            "text-decoration: line-through",
            'ins::before { content: " [inserted: "',
            'del::before { content: " [deleted: "',
            'del.rt-moved::before { content: "moved away "',
            'ins.rt-moved::before { content: "moved here "',
        ):
            assert needle in _CSS


class TestRenderHtmlErrors:
    """render_html() refuses what it cannot show."""

    @pytest.mark.parametrize(
        ("value", "options"),
        [
            ("not a diff", {}),
            (MOVED, {"style": "sideways"}),
            (MOVED, {"title": 3}),
            (MOVED, {"lang": None}),
            (Diff(("a",)), {}),  # type: ignore[arg-type]
        ],
    )
    def test_bad_input(
        self, value: object, options: dict[str, object]
    ) -> None:
        """Bad input raises InvalidRevisionError and changes nothing."""
        before = repr(value)
        with pytest.raises(InvalidRevisionError):
            render_html(value, **options)  # type: ignore[arg-type]
        assert before == repr(value)

    def test_mismatched_move(self) -> None:
        """Inner edits that do not rebuild the moved block are refused."""
        wrong = attrs.evolve(
            MOVED, moves=(Move(1, 1, 3, (E(Op.INSERT, "other"),)),)
        )
        with pytest.raises(InvalidRevisionError, match="move 1"):
            render_html(wrong)


# ----------------------------------------------------------------- terminal

_SGR = re.compile(r"\x1b\[[0-9;]*m")
_FORBIDDEN = re.compile(r"\r(?!\n)|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


class TestRenderTerminalPlain:
    """render_terminal(color=False)."""

    def test_move_with_inner_edits(self) -> None:
        """A move shows its id and arrow at both ends, inner edits inside."""
        expected = (
            "Intro.\n"
            "[-moved\u21921: Moved para here.\n-]"
            "Middle\n"
            "{+moved\u21901: Moved [-para-]{+paragraph+} here[-.-]{+!+}\n+}"
        )
        assert expected == render_terminal(MOVED, color=False)

    @pytest.mark.parametrize(
        ("d", "expected"),
        [
            (EMPTY, ""),
            (ONLY_INSERT, "{+new <text>+}"),
            (ONLY_DELETE, "[-old & gone-]"),
            (CRLF, "one\r\n[-two-]{+2+}\r\nthree\r\n"),
            (
                EMOJI,
                (
                    "I \u2764\ufe0f [-\U0001f431-]"
                    "{+\U0001f3f3\ufe0f\u200d\U0001f308+}"
                ),
            ),
            (IGNORED, "a \u201cb\u201d"),
        ],
    )
    def test_cases(self, d: Diff, expected: str) -> None:
        """Git's word-diff markers around each change."""
        assert expected == render_terminal(d, color=False)


class TestRenderTerminalColour:
    """render_terminal(color=True)."""

    def test_move_with_inner_edits(self) -> None:
        """Moves are cyan and labelled; colour stops before line breaks."""
        expected = (
            "Intro.\n"
            "\x1b[1;36mmoved\u21921: \x1b[0m"
            "\x1b[36;9mMoved para here.\x1b[0m\n"
            "Middle\n"
            "\x1b[1;36mmoved\u21901: \x1b[0m"
            "\x1b[36;4mMoved \x1b[0m\x1b[31;9mpara\x1b[0m"
            "\x1b[32;4mparagraph\x1b[0m\x1b[36;4m here\x1b[0m"
            "\x1b[31;9m.\x1b[0m\x1b[32;4m!\x1b[0m\n"
        )
        assert expected == render_terminal(MOVED)

    @pytest.mark.parametrize(
        ("d", "expected"),
        [
            (EMPTY, ""),
            (ONLY_INSERT, "\x1b[32mnew <text>\x1b[0m"),
            (ONLY_DELETE, "\x1b[31mold & gone\x1b[0m"),
            (
                CRLF,
                "one\r\n\x1b[31mtwo\x1b[0m\x1b[32m2\x1b[0m\r\nthree\r\n",
            ),
            (
                EMOJI,
                (
                    "I \u2764\ufe0f \x1b[31m\U0001f431\x1b[0m"
                    "\x1b[32m\U0001f3f3\ufe0f\u200d\U0001f308\x1b[0m"
                ),
            ),
            (IGNORED, "\x1b[2ma \u201cb\u201d\x1b[0m"),
        ],
    )
    def test_cases(self, d: Diff, expected: str) -> None:
        """Red deletions, green insertions, dim ignored differences."""
        assert expected == render_terminal(d)

    def test_multiline_change(self) -> None:
        """No colour runs across a line break."""
        d = Diff((E(Op.INSERT, "a\nb\r\n"),))
        expected = "\x1b[32ma\x1b[0m\n\x1b[32mb\x1b[0m\r\n"
        assert expected == render_terminal(d)


class TestRenderTerminalErrors:
    """render_terminal() refuses what it cannot show."""

    @pytest.mark.parametrize(
        ("value", "color"), [("a", True), (MOVED, "yes"), (MOVED, 1)]
    )
    def test_bad_input(self, value: object, color: object) -> None:
        """Bad input raises InvalidRevisionError and changes nothing."""
        before = repr(value)
        with pytest.raises(InvalidRevisionError):
            render_terminal(value, color=color)  # type: ignore[arg-type]
        assert before == repr(value)


class TestRenderTerminalEscaping:
    """Documents cannot send control sequences to the terminal."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("\x1b[2J", "\u241b[2J"),
            ("bell\x07", "bell\u2407"),
            ("\x00", "\u2400"),
            ("del\x7f", "del\u2421"),
            ("csi\x9b31m", "csi\\x9b31m"),
            ("over\rwrite", "over\u240dwrite"),
            ("keep\r\n\ttabs\n", "keep\r\n\ttabs\n"),
        ],
    )
    def test_controls_shown(self, text: str, shown: str) -> None:
        """Each control character shows as a picture or a hex escape."""
        d = Diff((E(Op.EQUAL, "="), E(Op.INSERT, text)))
        assert f"={{+{shown}+}}" == render_terminal(d, color=False)

    @settings(max_examples=100, deadline=None)
    @given(any_diffs(), st.booleans())
    def test_no_control_characters(self, d: Diff, color: bool) -> None:
        """No control characters but tab, LF, and CR before LF."""
        out = render_terminal(d, color=color)
        assert [] == _FORBIDDEN.findall(_SGR.sub("", out))

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(list(Op)), texts())))
    def test_colour_keeps_every_character(
        self, runs: list[tuple[Op, str]]
    ) -> None:
        """Without colour codes, it is every edit's text, controls shown."""
        d = Diff(tuple(Edit(op, text) for op, text in runs))
        expected = render_terminal(
            Diff(tuple(Edit(Op.EQUAL, text) for _, text in runs)), color=False
        )
        assert expected == _SGR.sub("", render_terminal(d))


# ----------------------------------------------------------------- Markdown

_CRITIC = re.compile(
    r"\{\+\+(?P<ins>.*?)\+\+\}"
    r"|\{--(?P<del>.*?)--\}"
    r"|\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}"
    r"|\{>>(?P<comment>.*?)<<\}"
    r"|\{==(?P<mark>.*?)==\}",
    re.DOTALL,
)


def _resolve(markup: str, *, accept: bool) -> str:
    """Accept or reject every CriticMarkup change, as a processor would."""

    def one(match: re.Match[str]) -> str:
        if match["ins"] is not None:
            return match["ins"] if accept else ""
        if match["del"] is not None:
            return "" if accept else match["del"]
        if match["old"] is not None:
            return match["new"] if accept else match["old"]
        return match["mark"] or ""

    resolved = _CRITIC.sub(one, markup)
    for escaped, char in (("&#123;", "{"), ("&#125;", "}"), ("~&gt;", "~>")):
        resolved = resolved.replace(escaped, char)
    return resolved


#: Texts dense in CriticMarkup's delimiter characters. "&" is left out: a
#: literal "&#123;" reads back as "{", as Markdown itself would show it.
_CRITICAL = st.text(alphabet="{}+-~><=ab \n\r\U0001f431", max_size=30)


@st.composite
def critical_diffs(draw: st.DrawFn) -> Diff:
    """Diffs, some with a move, whose texts are full of delimiters."""
    ops = st.sampled_from(list(Op))
    runs = st.lists(st.tuples(ops, _CRITICAL), max_size=6)
    edits = [Edit(op, text) for op, text in draw(runs)]
    if not draw(st.booleans()):
        return Diff(tuple(edits))
    inner = tuple(Edit(op, text) for op, text in draw(runs))
    old = "".join(e.old_text for e in inner)
    new = "".join(e.new_text for e in inner)
    at = draw(st.integers(0, len(edits)))
    edits[at:at] = [Edit(Op.DELETE, old, move=2)]
    to = draw(st.integers(at + 1, len(edits)))
    edits[to:to] = [Edit(Op.INSERT, new, move=2)]
    return Diff(tuple(edits), moves=(Move(2, at, to, inner),))


class TestRenderMarkdown:
    """render_markdown()."""

    def test_move_with_inner_edits(self) -> None:
        """A move is a comment then the block, at each end."""
        expected = (
            "Intro.\n"
            "{>>move 1: moved from here<<}{--Moved para here.\n--}"
            "Middle\n"
            "{>>move 1: moved here, edited: Moved [-para-]{+paragraph+}"
            " here[-.-]{+!+}\u21b5<<}{++Moved paragraph here!\n++}"
        )
        assert expected == render_markdown(MOVED)

    @pytest.mark.parametrize(
        ("d", "expected"),
        [
            (EMPTY, ""),
            (ONLY_INSERT, "{++new <text>++}"),
            (ONLY_DELETE, "{--old & gone--}"),
            (CRLF, "one\r\n{~~two~>2~~}\r\nthree\r\n"),
            (
                EMOJI,
                (
                    "I \u2764\ufe0f {~~\U0001f431~>"
                    "\U0001f3f3\ufe0f\u200d\U0001f308~~}"
                ),
            ),
            (IGNORED, "a \u201cb\u201d"),
        ],
    )
    def test_cases(self, d: Diff, expected: str) -> None:
        """Additions, deletions and substitutions."""
        assert expected == render_markdown(d)

    def test_unchanged_move(self) -> None:
        """A block moved unchanged has comments naming the move only."""
        d = Diff(
            (
                E(Op.DELETE, "b ", move=3),
                E(Op.EQUAL, "a "),
                E(Op.INSERT, "b ", move=3),
            ),
            moves=(Move(3, 0, 2, (E(Op.EQUAL, "b "),)),),
        )
        expected = (
            "{>>move 3: moved from here<<}{--b --}a "
            "{>>move 3: moved here<<}{++b ++}"
        )
        assert expected == render_markdown(d)

    def test_literal_delimiters(self) -> None:
        """Delimiters in the text become character references."""
        d = Diff((E(Op.EQUAL, "{++a++} {>>b<<} x~>y"),))
        expected = "&#123;++a++&#125; &#123;>>b<<&#125; x~&gt;y"
        assert expected == render_markdown(d)

    def test_delimiter_across_unchanged_runs(self) -> None:
        """A delimiter split across unchanged runs is still escaped."""
        d = Diff((E(Op.EQUAL, "{"), E(Op.EQUAL, "++", old="+ +")))
        assert "&#123;++" == render_markdown(d)

    @settings(max_examples=200, deadline=None)
    @given(
        st.one_of(
            critical_diffs(), st.builds(revtrack.diff, _CRITICAL, _CRITICAL)
        )
    )
    def test_accept_and_reject(self, d: Diff) -> None:
        """Accepting all gives the new text, rejecting all the old one."""
        markup = render_markdown(d)
        assert d.new == _resolve(markup, accept=True)
        assert d.old == _resolve(markup, accept=False)

    def test_bad_input(self) -> None:
        """A value that is not a diff raises InvalidRevisionError."""
        with pytest.raises(InvalidRevisionError, match=r"revtrack\.Diff"):
            render_markdown("a")  # type: ignore[arg-type]


class TestEngineDiffs:
    """Diffs computed by revtrack.diff() render in every view."""

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("the cat sat\non the mat\n", "the dog sat\non a mat\n"),
            ("", "all new\r\n"),
            ("all gone", ""),
        ],
    )
    def test_all_views_agree(self, old: str, new: str) -> None:
        """Every view shows both texts exactly."""
        d = revtrack.diff(old, new)
        markup = render_markdown(d)
        assert (new, old) == (
            _resolve(markup, accept=True),
            _resolve(markup, accept=False),
        )
        tree = _Tree(render_html(d, style="side-by-side"))
        assert new == tree.read(within="rt-new", without="del")
        plain = render_terminal(d, color=False)
        assert new == re.sub(
            r"\[-.*?-\]|\{\+|\+\}", "", plain, flags=re.DOTALL
        )


class TestCorpora:
    """Real revision pairs from ../shared/corpora render in every view."""

    @pytest.mark.parametrize("name", NAMES)
    def test_views_keep_both_texts(self, name: str) -> None:
        """Each view of a real diff reads back as its two revisions."""
        for old, new in pairs(name, 2):
            d = revtrack.diff(old, new)
            markup = render_markdown(d)
            assert (new, old) == (
                _resolve(markup, accept=True),
                _resolve(markup, accept=False),
            )
            inline = _Tree(render_html(d))
            assert (new, old) == (
                inline.read(within="rt-diff", without="del"),
                inline.read(within="rt-diff", without="ins"),
            )
            table = _Tree(render_html(d, style="side-by-side"))
            assert (new, old) == (
                table.read(within="rt-new", without="del"),
                table.read(within="rt-old", without="ins"),
            )
            out = render_terminal(d)
            assert [] == _FORBIDDEN.findall(_SGR.sub("", out))


# ------------------------------------------- output safety (issue 8)

#: What a hostile document might hold to break out of HTML or a terminal.
_HOSTILE = st.sampled_from(
    [
        "<",
        ">",
        "&",
        '"',
        "'",
        "`",
        "<script>alert(1)</script>",
        "</td>",
        "</tr></table>",
        "</ins>",
        "<del>",
        '" onmouseover="x',
        "<img src=x onerror=alert(1)>",
        "&lt;",
        "&#0;",
        "<!--",
        "]]>",
        "\r\n",
        "\r",
        "\n",
        "\t",
        "\x00",
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\x9b31m",
        "\x7f",
        "\u202e",
        "\u2066",
        "\u200f",
        "\u061c",
        "\U0001f431",
        "\U0001f3f3\ufe0f\u200d\U0001f308",
    ]
)


def hostile_texts() -> st.SearchStrategy[str]:
    """Document texts built from hostile pieces, words and any character."""
    pieces = st.one_of(
        _HOSTILE, st.sampled_from(["cat ", "dog ", "sat.\n"]), st.characters()
    )
    return st.lists(pieces, max_size=12).map("".join)


class TestHtmlSafety:
    """No document text adds an element or attribute to the HTML views."""

    @settings(max_examples=60, deadline=None)
    @given(hostile_texts(), hostile_texts(), st.sampled_from(_STYLES))
    def test_fragment(
        self, old: str, new: str, style: Literal["inline", "side-by-side"]
    ) -> None:
        """Only the renderer's tags and attribute values; both texts read."""
        tree = _Tree(render_html(revtrack.diff(old, new), style=style))
        _check_elements(tree, _FRAGMENT_TAGS)
        old_column, new_column = (
            ("rt-diff", "rt-diff")
            if style == "inline"
            else ("rt-old", "rt-new")
        )
        assert (old, new) == (
            tree.read(within=old_column, without="ins"),
            tree.read(within=new_column, without="del"),
        )

    @settings(max_examples=40, deadline=None)
    @given(hostile_texts(), hostile_texts(), hostile_texts())
    def test_page(self, old: str, new: str, title: str) -> None:
        """A standalone page adds only its own head, whatever the title."""
        page = render_html(
            revtrack.diff(old, new), standalone=True, title=title
        )
        tree = _Tree(page)
        head = {
            ("html", (("lang", "en"),)),
            ("head", ()),
            ("meta", (("charset", "utf-8"),)),
            (
                "meta",
                (
                    ("name", "viewport"),
                    ("content", "width=device-width, initial-scale=1"),
                ),
            ),
            (
                "meta",
                (
                    ("http-equiv", "Content-Security-Policy"),
                    (
                        "content",
                        "default-src 'none'; style-src 'unsafe-inline'",
                    ),
                ),
            ),
            ("title", ()),
            ("style", ()),
            ("body", ()),
            ("main", ()),
            ("h1", ()),
            ("p", (("class", "rt-diff rt-legend"),)),
        }
        for tag, attributes in tree.elements:
            if (tag, tuple(attributes.items())) not in head:
                _check_element(tag, attributes, _FRAGMENT_TAGS)
        assert tree.stack == []
        titles = [
            "".join(data for path, data in tree.text if path[-1:] == (end,))
            for end in (("title", ""), ("h1", ""))
        ]
        assert [title, title] == titles
        assert new == tree.read(within="rt-inline", without="del")


#: Every Select Graphic Rendition sequence render_terminal writes.
_OWN_SGR = re.compile(r"\x1b\[(?:0|2|31|32|1;36|31;9|32;4|36;4|36;9)m")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class TestTerminalSafety:
    """No document text reaches the terminal as a control or bidi mark."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("\u202eevil", "\\u202eevil"),
            ("a\u2066b\u2069c", "a\\u2066b\\u2069c"),
            ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
            ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
            ("\u2067\u2068", "\\u2067\\u2068"),
        ],
    )
    def test_bidi_shown(self, text: str, shown: str) -> None:
        """Each bidirectional formatting character shows as its code."""
        d = Diff((E(Op.DELETE, text), E(Op.INSERT, text + "!")))
        assert f"[-{shown}-]{{+{shown}!+}}" == render_terminal(d, color=False)

    @settings(max_examples=80, deadline=None)
    @given(hostile_texts(), hostile_texts(), st.booleans())
    def test_only_own_escapes(self, old: str, new: str, color: bool) -> None:
        """Only the renderer's own SGR codes; no control but tab and LF."""
        out = render_terminal(revtrack.diff(old, new), color=color)
        rest = _OWN_SGR.sub("", out).replace("\r\n", "\n")
        assert [] == [
            c
            for c in rest
            if unicodedata.category(c) == "Cc" and c not in "\n\t"
        ]
        assert [] == _BIDI.findall(out)

    @settings(max_examples=80, deadline=None)
    @given(st.text())
    def test_escape_terminal(self, text: str) -> None:
        """The shared helper leaves no control but tab, LF and CR-LF."""
        out = escape_terminal(text).replace("\r\n", "\n")
        assert [] == [
            c
            for c in out
            if unicodedata.category(c) == "Cc" and c not in "\n\t"
        ]
        assert [] == _BIDI.findall(out)

    @settings(max_examples=40, deadline=None)
    @given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf"))))
    def test_escape_terminal_keeps_text(self, text: str) -> None:
        """Text without controls or format characters passes unchanged."""
        assert text == escape_terminal(text)
