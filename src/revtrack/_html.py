"""
html_to_text, and the links in Markdown and HTML text.

Maintainer's notes: the converter keeps a stack of open elements but never
recurses, so 10,000-deep nesting costs a list, not the C stack. An end tag
pops back to its matching start tag only when one is open (a count per tag
name says so), so each element is pushed and popped at most once and
stray end tags cost nothing. The link patterns bound every repeated part,
so no input makes them backtrack for more than a few thousand characters
per position.
"""

from __future__ import annotations

import contextlib
import html as _entities
import re
import urllib.parse
from collections import Counter
from html.parser import HTMLParser

import attrs

from .exceptions import FormatError

__all__ = ["Link", "extract_links", "html_to_text"]

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_DROPPED = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "head",
        "title",
        "svg",
        "math",
        "iframe",
        "object",
        "select",
        "textarea",
        "button",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SPACE = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def _hidden(attrs_: list[tuple[str, str | None]]) -> bool:
    """Whether an element's attributes hide it from readers."""
    for name, value in attrs_:
        if name == "hidden":
            return True
        if name == "aria-hidden" and (value or "").strip().lower() == "true":
            return True
        if name == "style" and _HIDDEN_STYLE.search((value or "").lower()):
            return True
    return False


def _target(href: str, base_url: str | None) -> str:
    """Resolve *href* against *base_url* and make it safe inside ``(...)``."""
    href = href.strip()
    if base_url is not None:
        with contextlib.suppress(ValueError):  # a malformed IPv6 host
            href = urllib.parse.urljoin(base_url, href)
    return (
        href.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("\n", "")
    )


class _Converter(HTMLParser):
    """Collect readable text, block by block."""

    def __init__(self, base_url: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self._base = base_url
        self._stack: list[tuple[str, bool]] = []  # (tag, hides content)
        self._open: Counter[str] = Counter()
        self._hiding = 0
        self._pre = 0
        self._blocks: list[tuple[str, str]] = []  # (kind, text)
        self._line: list[str] = []
        self._prefix = ""
        self._kind = "p"
        self._link: tuple[str, int] | None = None  # (target, index in line)
        self._lists: list[int] = []  # per open list: next number, or 0
        self._list_count = 0  # lists opened so far: items of one list

    def _flush(self) -> None:
        raw = "".join(self._line)
        text = raw.strip("\n") if self._pre else _SPACE.sub(" ", raw).strip()
        if text:
            self._blocks.append((self._kind, self._prefix + text))
        self._line = []
        self._prefix = ""
        self._kind = "p"
        self._link = None

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        if tag in _VOID:
            if tag == "br" and not self._hiding:
                self._line.append("\n" if self._pre else " \x00 ")
            elif tag == "hr" and not self._hiding:
                self._flush()
            return
        hides = tag in _DROPPED or _hidden(attrs)
        self._stack.append((tag, hides))
        self._open[tag] += 1
        if hides:
            self._hiding += 1
        if self._hiding:
            return
        if tag in _BLOCK:
            self._start_block(tag)
        elif tag == "a" and self._link is None:
            href = dict(attrs).get("href")
            if href is not None:
                self._link = (_target(href, self._base), len(self._line))
                self._line.append("[")

    def _start_block(self, tag: str) -> None:
        self._flush()
        if tag == "pre":
            self._pre += 1
        if tag in {"ul", "ol"}:
            self._lists.append(1 if tag == "ol" else 0)
            self._list_count += 1
        elif tag == "li":
            self._kind = f"li{self._list_count}"
            if self._lists and self._lists[-1]:
                self._prefix = f"{self._lists[-1]}. "
                self._lists[-1] += 1
            else:
                self._prefix = "- "
        elif tag in _HEADINGS:
            self._kind = "h"
            self._prefix = "#" * _HEADINGS[tag] + " "

    def handle_endtag(self, tag: str) -> None:
        if not self._open[tag]:
            return  # a stray end tag closes nothing
        while self._stack:
            name, hides = self._stack.pop()
            self._open[name] -= 1
            self._close(name, hides=hides)
            if name == tag:
                break

    def _close(self, tag: str, *, hides: bool) -> None:
        if hides:
            self._hiding -= 1
            return
        if self._hiding:
            return
        if tag == "a" and self._link is not None:
            target, start = self._link
            inner = "".join(self._line[start + 1 :])
            text = _SPACE.sub(" ", inner).strip()
            text = text.replace("[", "\\[").replace("]", "\\]")
            self._line[start:] = [f"[{text}]({target})"]
            self._link = None
        elif tag in _BLOCK:
            if tag in {"ul", "ol"} and self._lists:
                self._lists.pop()
            self._flush()
            if tag == "pre":
                self._pre -= 1

    def parse_marked_section(
        self,
        i: int,
        report: bool = True,  # noqa: FBT001, FBT002 (the base's signature)
    ) -> int:
        """Read a bad ``<![`` section as browsers do: a comment to ``>``."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # _markupbase's word for "unknown keyword"
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_data(self, data: str) -> None:
        if not self._hiding:
            self._line.append(data)

    def text(self) -> str:
        while self._stack:  # unclosed elements close at the end
            name, hides = self._stack.pop()
            self._close(name, hides=hides)
        self._flush()
        out: list[str] = []
        previous = ""
        for kind, block in self._blocks:
            if out:
                same_list = kind == previous and kind.startswith("li")
                out.append("\n" if same_list else "\n\n")
            out.append(block.replace(" \x00 ", "\n").replace("\x00", ""))
            previous = kind
        return "".join(out) + "\n" if out else ""


def html_to_text(html: str | bytes, *, base_url: str | None = None) -> str:
    r"""
    Turn an HTML page into readable text that keeps its block structure.

    Headings, paragraphs and list items each get their own line (headings
    as ``#`` lines, list items as ``-`` or ``1.`` lines, blocks separated
    by a blank line), links become Markdown-style ``[text](url)``, and
    entities are decoded. Scripts, styles, the ``<head>``, form controls
    and hidden elements (``hidden``, ``aria-hidden="true"``,
    ``style="display:none"``) are dropped. Unclosed tags close at the end
    of the page; any string gives text.

    >>> html_to_text(
    ...     "<h1>Quintet</h1><p>Read the <a href='/c'>communiqu&eacute;</a>"
    ...     "<script>x()</script>.</p><p hidden>draft</p>",
    ...     base_url="https://www.gov.uk/news/",
    ... )
    '# Quintet\n\nRead the [communiqué](https://www.gov.uk/c).\n'

    Args:
        html: The page, as text or as UTF-8 bytes (bytes that are not
            UTF-8 are read with U+FFFD for each bad byte).
        base_url: Resolve relative link targets against this URL.

    Returns:
        The text, ending in a newline, or ``""`` when nothing is readable.

    Raises:
        FormatError: If *html* is neither ``str`` nor ``bytes``.

    .. versionadded:: 0.1.0
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        msg = (
            f"expected HTML as str or bytes, got {type(html).__name__}; "
            f"read the page first"
        )
        raise FormatError(msg)
    converter = _Converter(base_url)
    converter.feed(html.replace("\x00", "\ufffd"))
    # A tag, comment or declaration still open at the end of the page is
    # dropped, as browsers do at end of file. close() would instead retry
    # every "<" of it as text, rescanning to the end each time: quadratic.
    if converter.rawdata.startswith("<"):
        converter.rawdata = ""
    converter.close()
    return converter.text()


@attrs.frozen
class Link:
    """
    A link in a text: what it says and where it goes.

    Two links are equal when their text and target are; where they sit in
    the text is kept for pointing at them, not compared.

    Attributes:
        text: The link text, with runs of white space made single spaces.
        target: The URL it points to, as written.
        start: Where the link's markup starts in the text (code points).
        end: Where it ends.

    >>> Link("Quintet communiqué", "/c") == Link("Quintet communiqué", "/c",
    ...     start=4, end=29)
    True

    .. versionadded:: 0.1.0
    """

    text: str
    target: str
    start: int = attrs.field(default=0, kw_only=True, eq=False)
    end: int = attrs.field(default=0, kw_only=True, eq=False)


# Bounded repeats: a run of "[" or "<a" with no end cannot make the
# engine rescan the rest of a long text from every position.
_MARKDOWN = re.compile(
    r"(?<![!\\])\[((?:[^\[\]\\\n]|\\.){0,500})\]"
    # a target may hold balanced parentheses, one level deep
    r"\(\s{0,10}<?((?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,2000})>?"
    r"(?:\s{1,10}\"[^\"\n]{0,500}\")?\s{0,10}\)"
)
# Before href, no "<": else each "<a" would try every href in the 2,000
# characters after it, each with its own 2,000-character scan for ">".
_HTML_LINK = re.compile(
    r"<a\b[^<>]{0,2000}?\bhref\s*=\s*(?:\"([^\"]{0,2000})\"|'([^']{0,2000})'"
    r"|([^\s>\"']{1,2000}))[^>]{0,2000}>(.{0,2000}?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]{0,2000}>")
_ESCAPED = re.compile(r"\\(.)")


def extract_links(text: str) -> tuple[Link, ...]:
    """
    Find the Markdown ``[text](url)`` and HTML ``<a href>`` links in *text*.

    Images (``![alt](src)``) are not links. HTML link text loses its tags
    and entities are decoded.

    >>> text = 'See [the *Quintet*](/q "t") or <a href=/c>the <b>list</b></a>'
    >>> [(k.text, k.target) for k in extract_links(text)]
    [('the *Quintet*', '/q'), ('the list', '/c')]

    Args:
        text: Markdown, HTML, or text that mixes the two.

    Returns:
        The links in the order they appear.

    .. versionadded:: 0.1.0
    """
    found: list[Link] = []
    for m in _MARKDOWN.finditer(text):
        label = _SPACE.sub(" ", _ESCAPED.sub(r"\1", m.group(1))).strip()
        found.append(Link(label, m.group(2), start=m.start(), end=m.end()))
    for m in _HTML_LINK.finditer(text):
        href = next(g for g in m.group(1, 2, 3) if g is not None)
        inner = _entities.unescape(_TAG.sub("", m.group(4)))
        found.append(
            Link(
                _SPACE.sub(" ", inner).strip(),
                _entities.unescape(href).strip(),
                start=m.start(),
                end=m.end(),
            )
        )
    found.sort(key=lambda link: link.start)
    return tuple(found)
