"""
classify, suggest_update, audit and links_diff: what kind of change it was.

Maintainer's notes: classify() reads the two texts a diff joins and aligns
them top down (paragraphs, then the sentences of each changed paragraph,
then the words of each changed sentence) with difflib's SequenceMatcher,
so its labels do not depend on the granularity the diff was computed in.
The sequences aligned are short (a document's paragraphs, a paragraph's
sentences), so difflib's quadratic worst case stays small.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import itertools
import re
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING, Literal

import attrs

from ._diff import Diff, diff
from ._html import Link, extract_links
from ._model import UpdateType

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ._model import Document

__all__ = [
    "Finding",
    "Label",
    "LabelKind",
    "LinkChange",
    "Span",
    "Suggestion",
    "audit",
    "classify",
    "links_diff",
    "suggest_update",
]


class LabelKind(enum.Enum):
    """
    The kinds of change :func:`classify` tells apart.

    >>> LabelKind("link added")
    <LabelKind.LINK_ADDED: 'link added'>

    .. versionadded:: 0.1.0
    """

    WHITESPACE = "whitespace"
    PUNCTUATION = "punctuation"
    CASE = "case"
    SPELLING = "spelling"
    NUMBER = "number changed"
    DATE = "date changed"
    LINK_ADDED = "link added"
    LINK_REMOVED = "link removed"
    LINK_TARGET = "link target changed"
    LINK_TEXT = "link text changed"
    WORDING = "wording"
    SENTENCE_ADDED = "sentence added"
    SENTENCE_REMOVED = "sentence removed"
    SENTENCE_MOVED = "sentence moved"
    PARAGRAPH_ADDED = "paragraph added"
    PARAGRAPH_REMOVED = "paragraph removed"
    PARAGRAPH_MOVED = "paragraph moved"


# Changes a reader should be told about: they make an update major.
_SUBSTANTIVE = frozenset(
    {
        LabelKind.NUMBER,
        LabelKind.DATE,
        LabelKind.LINK_ADDED,
        LabelKind.LINK_REMOVED,
        LabelKind.LINK_TARGET,
        LabelKind.WORDING,
        LabelKind.SENTENCE_ADDED,
        LabelKind.SENTENCE_REMOVED,
        LabelKind.PARAGRAPH_ADDED,
        LabelKind.PARAGRAPH_REMOVED,
    }
)


@attrs.frozen
class Span:
    """
    A stretch of one side of a diff.

    Attributes:
        start: Its first code point in the text.
        end: One past its last.
        text: The text it covers.

    >>> Span(4, 7, "cat").text
    'cat'

    .. versionadded:: 0.1.0
    """

    start: int
    end: int
    text: str


@attrs.frozen
class LinkChange:
    """
    A link added, removed or changed between two texts.

    Attributes:
        kind: ``"added"``, ``"removed"`` or ``"changed"`` (same text and
            a new target, or same target and new text).
        old: The link in the old text, ``None`` when added.
        new: The link in the new text, ``None`` when removed.

    >>> LinkChange("added", None, Link("Quintet communiqué", "/c")).kind
    'added'

    .. versionadded:: 0.1.0
    """

    kind: Literal["added", "removed", "changed"]
    old: Link | None
    new: Link | None

    @property
    def text(self) -> str:
        """
        The link text, as it is now (or was, for a removed link).

        >>> LinkChange("removed", Link("Old page", "/o"), None).text
        'Old page'
        """
        link = self.new if self.new is not None else self.old
        return link.text if link is not None else ""


@attrs.frozen
class Label:
    """
    One kind of change found between two texts, and where.

    Attributes:
        kind: What kind of change it is.
        old: The stretches of the old text it refers to.
        new: The stretches of the new text it refers to.
        link: For the four link kinds, the link change.

    >>> [lb.kind.value for lb in classify(diff("a cat", "a Cat"))]
    ['case']

    .. versionadded:: 0.1.0
    """

    kind: LabelKind
    old: tuple[Span, ...] = ()
    new: tuple[Span, ...] = ()
    link: LinkChange | None = None


def _key(link: Link, base_url: str | None) -> tuple[str, str]:
    target = link.target
    if base_url is not None:
        with contextlib.suppress(ValueError):  # a malformed IPv6 host
            target = urllib.parse.urljoin(base_url, target)
    return link.text, target


def links_diff(
    old: str, new: str, *, base_url: str | None = None
) -> tuple[LinkChange, ...]:
    """
    Compare the links (text and target) of two texts.

    Links are compared as a multiset of (text, target) pairs. A link whose
    text stayed and whose target changed, or whose target stayed and whose
    text changed, is one ``"changed"`` link, not a removal and an addition.
    With *base_url*, relative and absolute forms of one target are equal.

    >>> [(c.kind, c.text) for c in links_diff(
    ...     "See [the list](/a).",
    ...     "See [the full list](https://x.org/a) and [Quintet](/q).",
    ...     base_url="https://x.org/",
    ... )]
    [('changed', 'the full list'), ('added', 'Quintet')]

    Args:
        old: The old Markdown or HTML text.
        new: The new text.
        base_url: Resolve relative targets against this URL before
            comparing.

    Returns:
        The changes, in the order the links appear in *new*, then the
        removed ones in the order they appeared in *old*.

    .. versionadded:: 0.1.0
    """
    old_links = extract_links(old)
    new_links = extract_links(new)
    kept = Counter(_key(k, base_url) for k in old_links) & Counter(
        _key(k, base_url) for k in new_links
    )
    removed = _unmatched(old_links, kept, base_url)
    added = _unmatched(new_links, kept, base_url)
    changes: list[LinkChange] = []
    for link in added:
        text, target = _key(link, base_url)
        partner = next(
            (
                r
                for r in removed
                if _key(r, base_url)[1] == target
                or (_key(r, base_url)[0] == text and text)
            ),
            None,
        )
        if partner is None:
            changes.append(LinkChange("added", None, link))
        else:
            removed.remove(partner)
            changes.append(LinkChange("changed", partner, link))
    changes.extend(LinkChange("removed", r, None) for r in removed)
    return tuple(changes)


def _unmatched(
    links: Iterable[Link], kept: Counter[tuple[str, str]], base: str | None
) -> list[Link]:
    budget = Counter(kept)
    out = []
    for link in links:
        key = _key(link, base)
        if budget[key] > 0:
            budget[key] -= 1
        else:
            out.append(link)
    return out


# -- classify -----------------------------------------------------------

_PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?(?:\n[ \t]*\S(?:[^\n]*\S)?)*")
_SENTENCE = re.compile(
    r"[^\s](?:[^\n]*?(?:[.!?][\"')\]\u2019\u201d]*(?=\s)|$))", re.MULTILINE
)
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WS = re.compile(r"\s+")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?"
    r"|dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")
_SIMILAR = 0.5  # word overlap for two blocks to count as one edited
_LOOKAHEAD = 8  # how many blocks ahead an edited block is looked for
_MAX_NOTES = 3
# A word this long that keeps this much of its letters is a typo fixed
# ("reafirming" to "reaffirming"), not a new word ("now" to "not").
_SPELLING_LENGTH = 5
_SPELLING = 0.8
_WORD = re.compile(r"\w+")


@attrs.frozen
class _Piece:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


def _pieces(pattern: re.Pattern[str], text: str, offset: int) -> list[_Piece]:
    return [
        _Piece(offset + m.start(), m.group()) for m in pattern.finditer(text)
    ]


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Labeller:
    """Collect labels, merging spans of one kind."""

    def __init__(
        self,
        texts: tuple[str, str],
        old_links: Sequence[Link],
        new_links: Sequence[Link],
    ) -> None:
        self.old_text, self.new_text = texts
        self.old_links = old_links
        self.new_links = new_links
        self.found: dict[LabelKind, tuple[list[Span], list[Span]]] = {}

    def add(
        self,
        kind: LabelKind,
        old: Iterable[_Piece] = (),
        new: Iterable[_Piece] = (),
    ) -> None:
        o, n = self.found.setdefault(kind, ([], []))
        o.extend(p.span() for p in old if p.span() not in o)
        n.extend(p.span() for p in new if p.span() not in n)

    def blocks(
        self, kind: str, olds: list[_Piece], news: list[_Piece]
    ) -> None:
        """Align *olds* with *news* and label what differs."""
        added = (
            LabelKind.PARAGRAPH_ADDED
            if kind == "p"
            else LabelKind.SENTENCE_ADDED
        )
        removed = (
            LabelKind.PARAGRAPH_REMOVED
            if kind == "p"
            else LabelKind.SENTENCE_REMOVED
        )
        moved = (
            LabelKind.PARAGRAPH_MOVED
            if kind == "p"
            else LabelKind.SENTENCE_MOVED
        )
        matcher = difflib.SequenceMatcher(
            None,
            [_norm(p.text) for p in olds],
            [_norm(p.text) for p in news],
            autojunk=False,
        )
        gone: list[_Piece] = []
        came: list[_Piece] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for a, b in zip(olds[i1:i2], news[j1:j2], strict=True):
                    if a.text != b.text:
                        self.add(LabelKind.WHITESPACE, [a], [b])
                continue
            left, right = list(olds[i1:i2]), list(news[j1:j2])
            for a, b in _pair(left, right):
                if kind == "p":
                    self.blocks(
                        "s",
                        _pieces(_SENTENCE, a.text, a.start),
                        _pieces(_SENTENCE, b.text, b.start),
                    )
                else:
                    self.words(a, b)
                left.remove(a)
                right.remove(b)
            gone.extend(left)
            came.extend(right)
        arrivals: dict[str, list[_Piece]] = {}
        for b in came:
            arrivals.setdefault(_norm(b.text), []).append(b)
        moved_in: set[int] = set()
        for a in list(gone):
            twins = arrivals.get(_norm(a.text))
            if twins:
                twin = twins.pop(0)
                self.add(moved, [a], [twin])
                gone.remove(a)
                moved_in.add(id(twin))
        for a in gone:
            self.add(removed, [a])
        for b in came:
            if id(b) in moved_in:
                continue
            self.add(added, new=[b])

    def words(self, a: _Piece, b: _Piece) -> None:
        """Label the word-level changes between two sentences."""
        olds = _pieces(_TOKEN, a.text, a.start)
        news = _pieces(_TOKEN, b.text, b.start)
        matcher = difflib.SequenceMatcher(
            None,
            [p.text for p in olds],
            [p.text for p in news],
            autojunk=False,
        )
        old_dates = [
            (m.start() + a.start, m.end() + a.start)
            for m in _DATE.finditer(a.text)
        ]
        new_dates = [
            (m.start() + b.start, m.end() + b.start)
            for m in _DATE.finditer(b.text)
        ]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            o, n = olds[i1:i2], news[j1:j2]
            if (
                any(p.text.strip() for p in (*o, *n))
                and _inside(o, self.old_links)
                and _inside(n, self.new_links)
            ):
                continue  # the changed link's own label says it
            kind = _word_kind(o, n, old_dates, new_dates)
            if kind is LabelKind.DATE:  # point at the whole dates
                o = _dates_hit(o, old_dates, self.old_text)
                n = _dates_hit(n, new_dates, self.new_text)
            else:
                o, n = _joined(o), _joined(n)
            self.add(kind, o, n)


def _dates_hit(
    pieces: Sequence[_Piece], dates: list[tuple[int, int]], text: str
) -> list[_Piece]:
    hit = [
        _Piece(start, text[start:end])
        for start, end in dates
        if any(p.start < end and start < p.end for p in pieces)
    ]
    return hit or list(pieces)


def _overlaps(pieces: Sequence[_Piece], ranges: list[tuple[int, int]]) -> bool:
    return any(
        p.start < end and start < p.end
        for p in pieces
        for start, end in ranges
    )


def _joined(pieces: Sequence[_Piece]) -> list[_Piece]:
    """One piece for a run of adjacent pieces."""
    if not pieces:
        return []
    return [_Piece(pieces[0].start, "".join(p.text for p in pieces))]


def _word_kind(
    o: Sequence[_Piece],
    n: Sequence[_Piece],
    old_dates: list[tuple[int, int]],
    new_dates: list[tuple[int, int]],
) -> LabelKind:
    old = "".join(p.text for p in o)
    new = "".join(p.text for p in n)
    if _WS.sub("", old) == _WS.sub("", new):
        return LabelKind.WHITESPACE
    if not re.search(r"\w", old + new):
        return LabelKind.PUNCTUATION
    if old.casefold() == new.casefold():
        return LabelKind.CASE
    if _overlaps(o, old_dates) or _overlaps(n, new_dates):
        return LabelKind.DATE
    words = _WORD.findall(old + " " + new)
    if words and all(_NUMBER.fullmatch(w) for w in words):
        return LabelKind.NUMBER
    if _misspelt(old.strip(), new.strip()):
        return LabelKind.SPELLING
    return LabelKind.WORDING


def _misspelt(old: str, new: str) -> bool:
    """Whether one longish word became a close variant of itself."""
    return (
        old.isalpha()
        and new.isalpha()
        and min(len(old), len(new)) >= _SPELLING_LENGTH
        and difflib.SequenceMatcher(None, old, new).ratio() >= _SPELLING
    )


def _pair(
    left: list[_Piece], right: list[_Piece]
) -> list[tuple[_Piece, _Piece]]:
    """Pair blocks that look like edits of each other, keeping their order."""
    pairs = []
    words = [_WORD.findall(b.text) for b in right]
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(
        autojunk=False
    )
    j = 0
    for a in left:
        matcher.set_seq2(_WORD.findall(a.text))
        # Look a bounded way ahead, so a rewrite costs O(n), not O(n^2).
        for k in range(j, min(len(right), j + _LOOKAHEAD)):
            matcher.set_seq1(words[k])
            if len(left) == len(right) == 1 or (
                matcher.real_quick_ratio() >= _SIMILAR
                and matcher.quick_ratio() >= _SIMILAR
                and matcher.ratio() >= _SIMILAR
            ):
                pairs.append((a, right[k]))
                j = k + 1
                break
    return pairs


def _inside(pieces: Sequence[_Piece], links: Sequence[Link]) -> bool:
    return all(
        any(k.start <= p.start and p.end <= k.end for k in links)
        for p in pieces
        if p.text.strip()
    )


def classify(diff: Diff, *, base_url: str | None = None) -> tuple[Label, ...]:
    """
    Label each change between the two texts of *diff* by its kind.

    Paragraphs (blocks between blank lines) are aligned first: one that
    appears only on one side is added or removed, and one that appears on
    both sides in another order is moved. Changed paragraphs are aligned
    by sentence (or line) the same way, and changed sentences by word: a
    change of white space only, of punctuation or typography only (quotes,
    dashes), of case only, of a date, of digits only, of spelling (one
    word of five letters or more swapped for a close variant, as when a
    typo is fixed), or else of wording.
    Links (Markdown and HTML) are compared with :func:`links_diff`; word
    changes inside a changed link are left to the link's label. White
    space is labelled where it is all that changed in a sentence, in a
    paragraph or in the whole text; a change of the white space between
    the sentences of a paragraph that changed in other ways too is not.

    >>> [lb.kind.value for lb in classify(diff(
    ...     "Held on 3 May 2019. See the plan.",
    ...     "Held on 4 May 2019. See [the plan](/plan).",
    ... ))]
    ['link added', 'date changed']

    Args:
        diff: The diff to explain; only its two texts are read.
        base_url: Resolve relative link targets against this URL.

    Returns:
        One label per kind of change found, links first, each with every
        span of that kind.

    .. versionadded:: 0.1.0
    """
    old, new = diff.old, diff.new
    labels: list[Label] = []
    link_kinds = {
        "added": LabelKind.LINK_ADDED,
        "removed": LabelKind.LINK_REMOVED,
    }
    changes = links_diff(old, new, base_url=base_url)
    for change in changes:
        if change.kind == "changed":
            same_text = (change.old and change.old.text) == (
                change.new and change.new.text
            )
            kind = LabelKind.LINK_TARGET if same_text else LabelKind.LINK_TEXT
        else:
            kind = link_kinds[change.kind]
        labels.append(
            Label(
                kind,
                tuple(_link_span(old, k) for k in (change.old,) if k),
                tuple(_link_span(new, k) for k in (change.new,) if k),
                link=change,
            )
        )
    old_links = [c.old for c in changes if c.old is not None]
    new_links = [c.new for c in changes if c.new is not None]
    if _WS.sub("", old) == _WS.sub("", new):
        return _whitespace_only(old, new)
    labeller = _Labeller((old, new), old_links, new_links)
    labeller.blocks(
        "p", _pieces(_PARAGRAPH, old, 0), _pieces(_PARAGRAPH, new, 0)
    )
    labels.extend(
        Label(kind, tuple(o), tuple(n))
        for kind, (o, n) in labeller.found.items()
    )
    return tuple(labels)


def _common(a: str, b: str) -> int:
    """The length of the common prefix of *a* and *b*."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _whitespace_only(old: str, new: str) -> tuple[Label, ...]:
    if old == new:
        return ()
    head = _common(old, new)
    tail = _common(old[head:][::-1], new[head:][::-1])
    return (
        Label(
            LabelKind.WHITESPACE,
            (Span(head, len(old) - tail, old[head : len(old) - tail]),),
            (Span(head, len(new) - tail, new[head : len(new) - tail]),),
        ),
    )


def _link_span(text: str, link: Link) -> Span:
    return Span(link.start, link.end, text[link.start : link.end])


# -- suggest_update -----------------------------------------------------

_MINOR_NOTES = {
    LabelKind.WHITESPACE: "Fixed formatting.",
    LabelKind.PUNCTUATION: "Corrected punctuation.",
    LabelKind.CASE: "Corrected capitalisation.",
    LabelKind.SPELLING: "Corrected spelling.",
    LabelKind.LINK_TEXT: "Corrected link text.",
    LabelKind.SENTENCE_MOVED: "Reordered the text.",
    LabelKind.PARAGRAPH_MOVED: "Reordered the text.",
}


@attrs.frozen
class Suggestion:
    """
    A drafted update type and change note for a diff.

    Attributes:
        update_type: ``MAJOR`` when readers should be told (a link, date,
            figure or wording changed, or text was added or removed),
            else ``MINOR``.
        reasons: One line per label, saying what was found.
        note: A change note in GOV.UK's style.
        labels: The labels it was drafted from.

    >>> suggest_update(diff("a cat", "a Cat")).note
    'Corrected capitalisation.'

    .. versionadded:: 0.1.0
    """

    update_type: UpdateType
    reasons: tuple[str, ...]
    note: str
    labels: tuple[Label, ...] = ()


def _quote(text: str, words: int = 8) -> str:
    parts = text.split()
    head = " ".join(parts[:words])
    return (
        f"\u201c{head}\u2026\u201d"
        if len(parts) > words
        else f"\u201c{head}\u201d"
    )


def _and(items: Sequence[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def _reason(label: Label) -> str:
    if label.link is not None:
        return f"{label.kind.value}: {_quote(label.link.text)}"
    spans = label.new or label.old
    if label.kind is LabelKind.WHITESPACE:
        return str(label.kind.value)
    if label.old and label.new:
        return (
            f"{label.kind.value}: {_quote(label.old[0].text, 6)} to "
            f"{_quote(label.new[0].text, 6)}"
        )
    return (
        f"{label.kind.value}: {_quote(spans[0].text, 6)}"
        if spans
        else str(label.kind.value)
    )


def _date_notes(label: Label) -> list[str]:
    pairs = list(zip(label.old, label.new, strict=False))
    notes = [
        f"Corrected the date {a.text} to {b.text}."
        for a, b in pairs
        if _DATE.fullmatch(a.text) and _DATE.fullmatch(b.text)
    ]
    return notes or ["Corrected a date."]


_HEADING = re.compile(r"#{1,6}[ \t]+(\S.*)")


def _block_notes(
    verb: str, spans: Sequence[Span], links: Sequence[Link]
) -> list[str]:
    """Describe added or removed blocks that no link change explains."""
    fresh = [
        s
        for s in spans
        if not any(s.start <= k.start and k.end <= s.end for k in links)
    ]
    headings = [m for s in fresh if (m := _HEADING.fullmatch(s.text))]
    if links:  # a heading beside a link added or removed goes with it
        fresh = [s for s in fresh if not _HEADING.fullmatch(s.text)]
        headings = []
    notes = [f"{verb} section {_quote(m.group(1))}." for m in headings]
    text = [s for s in fresh if not _HEADING.fullmatch(s.text)]
    if text:
        notes.append(f"{verb} text beginning {_quote(text[0].text)}.")
    return notes


def suggest_update(diff: Diff, *, base_url: str | None = None) -> Suggestion:
    r"""
    Suggest an update type and draft a change note for *diff*.

    Deterministic rules over :func:`classify`'s labels: an added link
    gives "Added link to <its text>.", and text added around an added link
    is taken to be about it; a changed date gives "Corrected the date
    <old> to <new>." when the dates can be read; added or removed
    paragraphs and sentences are quoted by their first words. Only
    white space, punctuation, case, link text and order changes make a
    minor update.

    >>> s = suggest_update(diff(
    ...     "Read the statement.\n",
    ...     "Read the statement.\n\n[Quintet communiqué](/q)\n",
    ... ))
    >>> s.update_type.value, s.note
    ('major', 'Added link to Quintet communiqué.')

    Args:
        diff: The change to describe.
        base_url: Resolve relative link targets against this URL.

    Returns:
        The suggestion, with ``MINOR`` and "No changes." for equal texts.

    .. versionadded:: 0.1.0
    """
    labels = classify(diff, base_url=base_url)
    if not labels:
        return Suggestion(UpdateType.MINOR, (), "No changes.", labels)
    by_kind: dict[LabelKind, list[Label]] = {}
    for label in labels:
        by_kind.setdefault(label.kind, []).append(label)
    added_links = [
        lb.link.new
        for lb in by_kind.get(LabelKind.LINK_ADDED, [])
        if lb.link is not None and lb.link.new is not None
    ]
    notes: list[str] = []

    def links(kind: LabelKind, verb: str) -> None:
        texts = [
            lb.link.text or "a page" for lb in by_kind.get(kind, []) if lb.link
        ]
        if texts:
            noun = "links" if len(set(texts)) > 1 else "link"
            notes.append(f"{verb} {noun} to {_and(texts)}.")

    links(LabelKind.LINK_ADDED, "Added")
    links(LabelKind.LINK_REMOVED, "Removed")
    links(LabelKind.LINK_TARGET, "Updated")
    for label in by_kind.get(LabelKind.DATE, []):
        notes.extend(_date_notes(label))
    if LabelKind.NUMBER in by_kind:
        notes.append("Updated figures.")
    removed_links = [
        lb.link.old
        for lb in by_kind.get(LabelKind.LINK_REMOVED, [])
        if lb.link is not None and lb.link.old is not None
    ]
    for kind, verb in (
        (LabelKind.PARAGRAPH_ADDED, "Added"),
        (LabelKind.SENTENCE_ADDED, "Added"),
        (LabelKind.PARAGRAPH_REMOVED, "Removed"),
        (LabelKind.SENTENCE_REMOVED, "Removed"),
    ):
        for label in by_kind.get(kind, []):
            notes.extend(
                _block_notes(
                    verb,
                    label.new if verb == "Added" else label.old,
                    added_links if verb == "Added" else removed_links,
                )
            )
    if LabelKind.WORDING in by_kind:
        notes.append("Updated wording.")
    major = any(lb.kind in _SUBSTANTIVE for lb in labels)
    if not notes:
        notes = list(
            dict.fromkeys(
                _MINOR_NOTES[lb.kind]
                for lb in labels
                if lb.kind in _MINOR_NOTES
            )
        )
    if len(notes) > _MAX_NOTES:
        notes = [*notes[:_MAX_NOTES], "Made other changes."]
    return Suggestion(
        UpdateType.MAJOR if major else UpdateType.MINOR,
        tuple(_reason(lb) for lb in labels),
        " ".join(notes),
        labels,
    )


# -- audit --------------------------------------------------------------

Rule = Literal[
    "substantive-minor", "note-mismatch", "time-backwards", "identical"
]

# What a note claims, and the labels that bear the claim out. The gap
# between the verb and "link" is bounded: unbounded, a long note of
# repeated verbs would rescan its rest from each one (quadratic time).
_CLAIMS: tuple[tuple[re.Pattern[str], str, frozenset[LabelKind]], ...] = (
    (
        re.compile(r"\badd(?:ed|s)?\b[^.]{0,500}\blinks?\b", re.IGNORECASE),
        "a link was added",
        frozenset({LabelKind.LINK_ADDED}),
    ),
    (
        re.compile(r"\bremov(?:ed|es?)\b[^.]{0,500}\blinks?\b", re.IGNORECASE),
        "a link was removed",
        frozenset({LabelKind.LINK_REMOVED}),
    ),
    (
        re.compile(
            r"\b(?:updat|chang|correct|fix)\w*\b[^.]{0,500}\blinks?\b",
            re.IGNORECASE,
        ),
        "a link changed",
        frozenset(
            {
                LabelKind.LINK_TARGET,
                LabelKind.LINK_TEXT,
                LabelKind.LINK_ADDED,
                LabelKind.LINK_REMOVED,
            }
        ),
    ),
    (
        re.compile(r"\bdates?\b", re.IGNORECASE),
        "a date changed",
        frozenset({LabelKind.DATE}),
    ),
)


@attrs.frozen
class Finding:
    """
    Something in a document's history that its public record hides.

    Attributes:
        revision: The number of the revision it is about.
        rule: ``"substantive-minor"`` (a minor update or republish that
            changes what readers are told), ``"note-mismatch"`` (a major
            update's note claims a change that did not happen),
            ``"time-backwards"`` (older than its parent) or
            ``"identical"`` (an update that changes nothing).
        evidence: What was found, in words.

    >>> Finding(3, "identical", "same text as revision 2").rule
    'identical'

    .. versionadded:: 0.1.0
    """

    revision: int
    rule: Rule
    evidence: str


def audit(document: Document) -> tuple[Finding, ...]:
    """
    Check a document's history against what its change notes say.

    >>> from revtrack import Document
    >>> doc = Document("d", "Quintet")
    >>> _ = doc.publish("Held on 3 May.", at="2019-07-31T10:00Z")
    >>> _ = doc.update("Held on 4 May.", at="2019-08-01T10:00Z", minor=True)
    >>> [(f.revision, f.rule) for f in audit(doc)]
    [(2, 'substantive-minor')]

    Args:
        document: The document to audit.

    Returns:
        The findings, by revision number, at most one per rule.

    .. versionadded:: 0.1.0
    """
    findings: list[Finding] = []
    revisions = document.revisions
    for parent, rev in itertools.pairwise(revisions):
        if rev.at < parent.at:
            findings.append(
                Finding(
                    rev.number,
                    "time-backwards",
                    f"made at {rev.at.isoformat()}, before revision "
                    f"{parent.number} at {parent.at.isoformat()}",
                )
            )
        if rev.text == parent.text:
            if rev.update_type is not UpdateType.REPUBLISH:
                findings.append(
                    Finding(
                        rev.number,
                        "identical",
                        f"a {rev.update_type.value} update with the same "
                        f"text as revision {parent.number}",
                    )
                )
            continue
        suggestion = suggest_update(diff(parent.text, rev.text))
        if (
            rev.update_type is not UpdateType.MAJOR
            and suggestion.update_type is UpdateType.MAJOR
        ):
            findings.append(
                Finding(
                    rev.number,
                    "substantive-minor",
                    f"a {rev.update_type.value} update with no public note, "
                    f"but: {'; '.join(suggestion.reasons)}",
                )
            )
        if rev.update_type is UpdateType.MAJOR and rev.note:
            kinds = {lb.kind for lb in suggestion.labels}
            for pattern, claim, proof in _CLAIMS:
                if pattern.search(rev.note) and not kinds & proof:
                    findings.append(
                        Finding(
                            rev.number,
                            "note-mismatch",
                            f"the note {rev.note!r} says {claim}, but the "
                            f"change is: {'; '.join(suggestion.reasons)}",
                        )
                    )
                    break
    return tuple(findings)
