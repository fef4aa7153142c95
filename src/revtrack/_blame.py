"""
blame: which revision wrote each line or word of a document.

Maintainer's notes: blame walks the chain once, carrying the current
revision as two parallel lists, its tokens and the number of the revision
that wrote each. Each step diffs the consecutive texts and rewrites only
the tokens the edits touch, widened to whole tokens; the untouched runs
between them are copied as list slices, which Python does in C. So the
Python-level work grows with the size of the edits, not with revisions times
text size. A token keeps its origin only if it survives the step
byte for byte at a token boundary: as an untouched token, as an equal
token at either end of a changed stretch, or inside a block the diff
reports as moved (:class:`revtrack.Move`), so moved paragraphs keep
their origin.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING, Literal

import attrs

from ._diff import Diff, Edit, Move, Op, diff
from .exceptions import InvalidRevisionError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._model import Document, Revision

__all__ = ["BlameSpan", "blame"]


_SPLIT = {
    "line": re.compile(r"[^\n]*\n|[^\n]+"),
    "word": re.compile(r"\s+|\S+\s*"),
}


@attrs.frozen
class BlameSpan:
    r"""
    A line or word of a revision and the revision that wrote it.

    Attributes:
        text: The line (with its line break) or word (with the white
            space after it).
        revision: The revision that introduced it.

    >>> from revtrack import Document
    >>> doc = Document("d", "T")
    >>> _ = doc.publish("a\n", at="2019-07-31T10:00Z")
    >>> blame(doc)[0].text
    'a\n'

    .. versionadded:: 0.1.0
    """

    text: str
    revision: Revision


def _boundary(granularity: str, left: str, right: str) -> bool:
    """Whether a token may end with *left* and the next start with *right*."""
    if granularity == "line":
        return left == "\n"
    return left.isspace() and not right.isspace()


@attrs.define
class _Region:
    """Old text [start, end) replaced by *text*; widened to whole tokens."""

    start: int
    end: int
    text: str
    first: int = 0  # token index of the widened start
    last: int = 0  # token index one past the widened end
    moved: list[tuple[int, int, int]] = attrs.Factory(list)
    # (offset in text, length, move id) of pieces that are moved blocks


class _Chain:
    """The current revision as tokens and their origins."""

    def __init__(self, granularity: str, text: str, number: int) -> None:
        self.granularity = granularity
        self.text = text
        self.tokens: list[str] = _SPLIT[granularity].findall(text)
        self.origins: list[int] = [number] * len(self.tokens)

    def _widen(self, region: _Region, offsets: Sequence[int]) -> None:
        old = self.text
        first = bisect.bisect_right(offsets, region.start) - 1
        last = max(bisect.bisect_left(offsets, region.end), first)
        if region.start > offsets[first]:
            last = max(last, first + 1)
        while True:
            start, end = offsets[first], offsets[last]
            full = (
                old[start : region.start] + region.text + old[region.end : end]
            )
            left = old[start - 1] if start else ""
            right = old[end] if end < len(old) else ""
            head = full[:1] or right
            tail = full[-1:] or left
            if left and head and not _boundary(self.granularity, left, head):
                first -= 1
                continue
            if right and tail and not _boundary(self.granularity, tail, right):
                last += 1
                continue
            break
        region.first, region.last = first, last

    def step(self, change: Diff, text: str, number: int) -> None:
        """Move from the current text to *text*, written by *number*."""
        offsets = list(itertools.accumulate(map(len, self.tokens), initial=0))
        regions: list[_Region] = []
        sources: dict[int, int] = {}  # move id -> old offset of its source
        position = 0
        current: _Region | None = None
        for edit in change.edits:
            if edit.op is Op.EQUAL:
                if current is not None:
                    self._add(regions, current, offsets)
                    current = None
                position += len(edit.old_text)
                continue
            if current is None:
                current = _Region(position, position, "")
            if edit.op is Op.DELETE:
                if edit.move is not None:
                    sources[edit.move] = position
                position += len(edit.text)
                current.end = position
            else:
                if edit.move is not None:
                    current.moved.append(
                        (len(current.text), len(edit.text), edit.move)
                    )
                current.text += edit.text
        if current is not None:
            self._add(regions, current, offsets)
        moves = {m.id: m for m in change.moves}
        used: set[int] = set()  # old tokens already given to a new one
        rewrites = [
            self._rewrite(
                region,
                offsets=offsets,
                number=number,
                sources=sources,
                moves=moves,
                used=used,
            )
            for region in regions
        ]
        self._reuse_lines(regions, rewrites, number, used)
        tokens: list[str] = []
        origins: list[int] = []
        cursor = 0
        for region, (new_tokens, new_origins) in zip(
            regions, rewrites, strict=True
        ):
            tokens += self.tokens[cursor : region.first]
            origins += self.origins[cursor : region.first]
            tokens += new_tokens
            origins += new_origins
            cursor = region.last
        tokens += self.tokens[cursor:]
        origins += self.origins[cursor:]
        self.tokens, self.origins, self.text = tokens, origins, text

    def _reuse_lines(
        self,
        regions: Sequence[_Region],
        rewrites: Sequence[tuple[list[str], list[int]]],
        number: int,
        used: set[int],
    ) -> None:
        """Give deleted lines that reappear elsewhere their origins."""
        pool: dict[tuple[str, ...], list[list[int]]] = {}
        for region in regions:
            old = self.tokens[region.first : region.last]
            for i, j in _lines(old):
                if any(region.first + k in used for k in range(i, j)):
                    continue
                key = tuple(old[i:j])
                pool.setdefault(key, []).append(
                    self.origins[region.first + i : region.first + j]
                )
        if not pool:
            return
        for new_tokens, new_origins in rewrites:
            for i, j in _lines(new_tokens):
                if any(o != number for o in new_origins[i:j]):
                    continue  # already carried
                found = pool.get(tuple(new_tokens[i:j]))
                if found:
                    new_origins[i:j] = found.pop(0)

    def _add(
        self, regions: list[_Region], region: _Region, offsets: Sequence[int]
    ) -> None:
        self._widen(region, offsets)
        # Widening can reach back into the region before: join them.
        while regions and region.first <= regions[-1].last:
            before = regions.pop()
            shift = len(before.text) + region.start - before.end
            merged = _Region(
                before.start,
                region.end,
                before.text
                + self.text[before.end : region.start]
                + region.text,
                moved=[
                    *before.moved,
                    *((o + shift, n, m) for o, n, m in region.moved),
                ],
            )
            self._widen(merged, offsets)
            region = merged
        regions.append(region)

    def _rewrite(
        self,
        region: _Region,
        *,
        offsets: Sequence[int],
        number: int,
        sources: dict[int, int],
        moves: dict[int, Move],
        used: set[int],
    ) -> tuple[list[str], list[int]]:
        old = self.text
        start, end = offsets[region.first], offsets[region.last]
        lead = region.start - start
        full = old[start : region.start] + region.text + old[region.end : end]
        new_tokens: list[str] = _SPLIT[self.granularity].findall(full)
        new_origins = [number] * len(new_tokens)
        old_tokens = self.tokens[region.first : region.last]
        old_origins = self.origins[region.first : region.last]
        # Equal tokens at either end survive (the widening's margins).
        k = 0
        while (
            k < len(old_tokens)
            and k < len(new_tokens)
            and old_tokens[k] == new_tokens[k]
        ):
            new_origins[k] = old_origins[k]
            used.add(region.first + k)
            k += 1
        j = 1
        while (
            j <= len(old_tokens) - k
            and j <= len(new_tokens) - k
            and old_tokens[-j] == new_tokens[-j]
        ):
            new_origins[-j] = old_origins[-j]
            used.add(region.last - j)
            j += 1
        if region.moved:
            self._carry_moves(
                region,
                lead=lead,
                new_tokens=new_tokens,
                new_origins=new_origins,
                sources=sources,
                moves=moves,
                offsets=offsets,
                used=used,
                number=number,
            )
        return new_tokens, new_origins

    def _carry_moves(
        self,
        region: _Region,
        *,
        lead: int,
        new_tokens: list[str],
        new_origins: list[int],
        sources: dict[int, int],
        moves: dict[int, Move],
        offsets: Sequence[int],
        used: set[int],
        number: int,
    ) -> None:
        """Give the tokens of a moved block the origins they had."""
        starts = itertools.accumulate(map(len, new_tokens), initial=0)
        for offset, length, move_id in region.moved:
            source = sources.get(move_id)
            move = moves.get(move_id)
            if source is None or move is None:
                continue
            lo = lead + offset
            for i, at in enumerate(itertools.islice(starts, len(new_tokens))):
                if at < lo or at + len(new_tokens[i]) > lo + length:
                    continue
                old_at = _old_offset(move.edits, at - lo)
                if old_at is None:
                    continue
                index = bisect.bisect_left(offsets, source + old_at)
                if (
                    index < len(self.tokens)
                    and offsets[index] == source + old_at
                    and self.tokens[index] == new_tokens[i]
                    and index not in used
                    and new_origins[i] == number
                ):
                    new_origins[i] = self.origins[index]
                    used.add(index)


def _lines(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Index ranges of the complete, non-blank lines in *tokens*."""
    found = []
    start = 0
    for i, token in enumerate(tokens):
        if token.endswith("\n"):
            if any(not t.isspace() for t in tokens[start : i + 1]):
                found.append((start, i + 1))
            start = i + 1
    return found


def _old_offset(edits: Sequence[Edit], at: int) -> int | None:
    """Map an offset in a moved block's new text to its old text."""
    if not edits:
        return at  # moved unchanged
    old_at = new_at = 0
    for edit in edits:
        old_len, new_len = len(edit.old_text), len(edit.new_text)
        if (
            edit.op is Op.EQUAL
            and edit.old is None
            and new_at <= at < new_at + new_len
        ):
            return old_at + at - new_at
        old_at += old_len
        new_at += new_len
    return None


def blame(
    document: Document,
    *,
    granularity: Literal["line", "word"] = "line",
    revision: int | str | None = None,
) -> tuple[BlameSpan, ...]:
    r"""
    Split a revision's text into lines or words, each with its author.

    Each span names the revision that introduced its text: the text is in
    that revision and, unchanged at a token boundary, in every revision
    from there to the one blamed. A line or word that is edited in any way
    belongs to the revision that edited it, as in ``git blame``; one that
    moves with its paragraph (a block the diff reports as a
    :class:`revtrack.Move`) keeps its origin. Lines end at ``\n`` and
    keep it; words keep the white space after them (white space at the
    very start is a span of its own).

    >>> from revtrack import Document
    >>> doc = Document("d", "Quintet")
    >>> _ = doc.publish("Held in London.\nBy the Quintet.\n",
    ...                 at="2019-07-31T10:00Z")
    >>> _ = doc.update("Held in London.\nBy the Quintet of AGs.\n",
    ...                at="2019-08-01T10:00Z", note="Named the group.")
    >>> [(s.text, s.revision.number) for s in blame(doc)]
    [('Held in London.\n', 1), ('By the Quintet of AGs.\n', 2)]
    >>> [(s.text, s.revision.number) for s in blame(doc, granularity="word")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Held ', 1), ('in ', 1), ('London.\n', 1), ('By ', 1), ('the ', 1),
     ('Quintet ', 2), ('of ', 2), ('AGs.\n', 2)]

    Args:
        document: The document whose history to read.
        granularity: ``"line"`` or ``"word"``.
        revision: The revision to blame, as :meth:`Document.revision`
            accepts it; ``None`` means the latest.

    Returns:
        The spans, in order; their texts join into the revision's text.

    Raises:
        InvalidRevisionError: If *granularity* is not ``"line"`` or
            ``"word"``.
        RevisionNotFoundError: If *revision* names no revision.

    .. versionadded:: 0.1.0
    """
    if granularity not in _SPLIT:
        msg = f"granularity must be 'line' or 'word', got {granularity!r}"
        raise InvalidRevisionError(msg)
    revisions = document.revisions
    if not revisions:
        return ()
    target = (
        document.latest if revision is None else document.revision(revision)
    )
    chain = _Chain(granularity, revisions[0].text, revisions[0].number)
    # islice, not a slice: a copy would cost memory per revision.
    chain_revisions = itertools.islice(revisions, target.number)
    for before, after in itertools.pairwise(chain_revisions):
        if after.text != before.text:
            change = diff(before.text, after.text, granularity=granularity)
            chain.step(change, after.text, after.number)
    return tuple(
        BlameSpan(token, revisions[origin - 1])
        for token, origin in zip(chain.tokens, chain.origins, strict=True)
    )
