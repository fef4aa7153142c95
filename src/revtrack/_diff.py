"""
Op, Edit, Diff and diff(): the one module that imports diff_match_patch.

Maintainer's notes: diff() matches unchanged lines first, on lines unique
to both sides (patience diff), then unchanged sentences inside the changed
blocks, and diffs only what is left token by token, each token mapped to
one character (diff-match-patch's lines-to-chars trick, generalised to any
token). A block's common ends are kept as they are, and one token replaced
between them needs no search (the commonest edit of all). Otherwise blocks
of up to 2^24 token pairs get a minimal diff from _exact(): _myers() while
the differences are few, which is faster than diff_match_patch's recursive
bisection at that size, and the bit-parallel table of _lcs() once they are
not. Bigger blocks are split on tokens unique to both sides first, and
what still has none goes to diff_match_patch within the work budget.
diff_match_patch also does the cleanups. Every bound counts work (tokens,
table cells, search steps), never seconds: see _Budget.

Changed lines or sentences with no unique anchor are diffed pair by pair
when their block is too big for the exact search, and always under
semantic cleanup; a block whose sides share too little besides blanks is
then replaced whole without a search (_unrelated): the cleanup would merge
most of the coincidental matches anyway, and the few it would keep (a long
word that happens to recur) are not worth the search. This is a rule that
shapes the output, and tests pin it. For ASCII blocks compared as they
are, _replace_unrelated() applies the same rule before tokenising, on
words split and compared in C: the tokeniser's pass costs more than the
rule. Moves are looked for among the few insertions that share most of a
deletion's rarer blank-separated chunks, and ASCII candidates are ruled
out on their words before being tokenised (_rough_bag).
"""

from __future__ import annotations

import bisect
import collections
import enum
import itertools
import operator
import re
import sys
import time
from typing import TYPE_CHECKING, Literal, cast

import attrs
from diff_match_patch import diff_match_patch

from ._strings import common_ends, common_prefix, common_suffix
from ._tokens import GRANULARITIES, count_words, tokenize
from .exceptions import InvalidRevisionError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = ["Diff", "DiffStats", "Edit", "Move", "Op", "diff"]


class Op(enum.Enum):
    """
    What an edit does to the old text.

    >>> Op.INSERT.value
    'insert'

    .. versionadded:: 0.1.0
    """

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@attrs.frozen
class Edit:
    """
    One run of text that is kept, inserted or deleted.

    Attributes:
        op: What happens to *text*.
        text: The text kept, inserted or deleted.
        move: For a moved block, the id shared by its deletion (the source)
            and its insertion (the destination); ``None`` otherwise.
        old: For an ``EQUAL`` edit whose old text differs from *text* only in
            a way the diff was told to ignore, the old text; ``None``
            otherwise.

    >>> Edit(Op.DELETE, "cat")
    Edit(op=<Op.DELETE: 'delete'>, text='cat', move=None, old=None)

    .. versionadded:: 0.1.0
    """

    op: Op
    text: str
    move: int | None = attrs.field(default=None, kw_only=True)
    old: str | None = attrs.field(default=None, kw_only=True)

    @property
    def old_text(self) -> str:
        """
        What this edit takes from the old text.

        >>> Edit(Op.INSERT, "x").old_text
        ''
        """
        if self.op is Op.INSERT:
            return ""
        if self.old is not None:
            return self.old
        return self.text

    @property
    def new_text(self) -> str:
        """
        What this edit puts in the new text.

        >>> Edit(Op.DELETE, "x").new_text
        ''
        """
        return "" if self.op is Op.DELETE else self.text


@attrs.frozen
class Move:
    r"""
    A block deleted in one place and inserted in another.

    Attributes:
        id: The ``move`` id its two edits carry.
        source: The index in :attr:`Diff.edits` of the deletion.
        destination: The index in :attr:`Diff.edits` of the insertion.
        edits: The changes made inside the block while it moved, as a diff
            from the deleted text to the inserted text.

    >>> old = "Intro.\n\nThis paragraph moves down the page.\n\nEnd.\n"
    >>> new = "Intro.\n\nEnd.\n\nThis paragraph moved down the page.\n"
    >>> d = diff(old, new)
    >>> m = d.moves[0]
    >>> d.edits[m.source].op.name, d.edits[m.destination].op.name
    ('DELETE', 'INSERT')
    >>> [(e.op.name, e.text) for e in m.edits if e.op is not Op.EQUAL]
    [('DELETE', 'moves'), ('INSERT', 'moved'), ('DELETE', '\n')]

    .. versionadded:: 0.1.0
    """

    id: int
    source: int
    destination: int
    edits: tuple[Edit, ...] = ()


@attrs.frozen
class DiffStats:
    """
    How much a diff changes.

    Attributes:
        chars_inserted: Characters (code points) inserted.
        chars_deleted: Characters deleted.
        words_inserted: Words inserted (a CJK or Thai character is a word).
        words_deleted: Words deleted.
        lines_inserted: Line breaks inserted.
        lines_deleted: Line breaks deleted.
        similarity: The share of both texts' characters kept, from 0
            (nothing kept) to 1 (identical).
        distance: The Levenshtein distance in characters that the edits
            imply: each replaced run counts its longer side.

    >>> s = diff("the cat sat", "the dog sat").stats
    >>> s.chars_inserted, s.words_deleted, s.distance
    (3, 1, 3)

    .. versionadded:: 0.1.0
    """

    chars_inserted: int
    chars_deleted: int
    words_inserted: int
    words_deleted: int
    lines_inserted: int
    lines_deleted: int
    similarity: float
    distance: int


@attrs.frozen
class Diff:
    """
    The edits that turn one text into another.

    Attributes:
        edits: The runs kept, inserted and deleted, in order.
        granularity: The unit the diff was computed in.
        moves: The moved blocks, pairing a deletion and an insertion.

    >>> d = diff("the cat sat", "the dog sat")
    >>> d.old, d.new
    ('the cat sat', 'the dog sat')

    .. versionadded:: 0.1.0
    """

    edits: tuple[Edit, ...]
    granularity: str = "char"
    moves: tuple[Move, ...] = ()
    _stats: DiffStats | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def stats(self) -> DiffStats:
        """
        How much the diff changes, counted on first use.

        >>> diff("a b", "a c").stats.similarity
        0.666...
        """
        if self._stats is None:
            # Frozen, so set the cache past attrs' guard.
            object.__setattr__(self, "_stats", _compute_stats(self.edits))
        assert self._stats is not None  # noqa: S101 - for mypy
        return self._stats

    @property
    def ignored(self) -> tuple[Edit, ...]:
        """
        The equal edits whose old text differs in a way the diff ignored.

        >>> diff("Cat", "cat", ignore_case=True).ignored
        (Edit(op=<Op.EQUAL: 'equal'>, text='cat', move=None, old='Cat'),)
        """
        return tuple(e for e in self.edits if e.old is not None)

    @property
    def old(self) -> str:
        """The old text, rebuilt from the edits."""
        return "".join(e.old_text for e in self.edits)

    @property
    def new(self) -> str:
        """The new text, rebuilt from the edits."""
        return "".join(e.new_text for e in self.edits)

    @property
    def changed(self) -> bool:
        """
        Whether anything was inserted or deleted.

        >>> diff("a", "a").changed
        False
        """
        return any(e.op is not Op.EQUAL for e in self.edits)


CLEANUPS = ("semantic", "efficiency", "none")

# The coarser units a granularity anchors on before diffing its own tokens.
_ANCHOR_LEVELS: dict[str, tuple[str, ...]] = {
    "char": ("line", "sentence", "word"),
    "word": ("line", "sentence"),
    "sentence": ("line",),
    "line": (),
    "paragraph": (),
}
# A changed block of n by m tokens goes straight to a minimal diff when
# n * m is at most this (see _exact); larger ones first lose their common
# ends.
_EXACT_WORK = 1 << 16
# ... and up to this many, and this many tokens in all, it still gets a
# minimal diff, in about n * m / 8 bytes and an int per token of its
# longer side. Larger blocks are split on tokens unique to both sides
# (patience diff) and searched within the work budget below.
_LCS_CELLS = 1 << 24
_LCS_TOKENS = 1 << 16
# Without semantic cleanup a block of lines or sentences is not split into
# pairs when its tokens (about this many characters each in a word diff
# of English) fit the exact search.
_CHARS_PER_TOKEN = 3
# Myers' search may spend this many steps per token of a block before the
# bit-parallel table, which costs about as much there, takes its place.
_MYERS_SHARE = 2
# What the searches of blocks above _LCS_CELLS may spend in one diff()
# call, in steps (step d of a search costs about d comparisons): a base
# plus a share per character. Once spent, what is left of such a block
# becomes one deletion and one insertion. The bound counts work, not
# seconds, so the same texts give the same diff on any machine.
_WORK_BASE = 500_000
_WORK_PER_CHAR = 1
# A changed block of as many lines on each side, none unchanged, is diffed
# line by line when the product of its sides' lengths exceeds this.
_PAIR_WORK = 1 << 14
# ... and any changed block of lines or sentences above this, pair by pair.
_SPLIT_WORK = 1 << 22
# Pairing aligns the units of two blocks by their lengths when the product
# of their numbers of units is at most this, and first with first above.
_ALIGN_WORK = 1 << 12
# Code points available to stand for tokens: all but the surrogates.
_SURROGATES = 0xD800  # the first of 0x800 code points a str may not hold
_MAX_CODES = sys.maxunicode + 1 - 0x800
# Under semantic cleanup, a small changed block whose two sides could share
# at most this fraction of their text is replaced whole without a search.
_UNRELATED = 0.3
# ... unless what is left of it once its common ends are set aside has at
# most this many token pairs, when the exact search costs less than that.
_TRIVIAL = 64
# Blocks that begin or end with this many characters in common are not
# looked at for that rule before they are tokenised.
_GLANCE = 8
# Words in more insertions than this are too common to suggest a move.
_COMMON = 16
# Chunks a block may lose beyond what the move threshold allows and still
# be voted a move: a short block whose one long chunk (a link, a tag)
# changed may keep most of its characters.
_SPARED = 6
_MIN_MOVE = 16  # a moved block has at least this many non-space characters
# A block of lines moved past at least this many characters of unchanged
# ones is found without splitting them into lines (see _moved_past). Below
# it the search costs little, and it may align the lines around the block
# more finely than keeping all the unchanged ones whole.
_MOVED_PAST = 1 << 16

_TYPOGRAPHY = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036", '"')
    | dict.fromkeys(
        "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"
    )
    | dict.fromkeys(
        "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000",
        " ",
    )
)

_Triple = tuple[Op, str, str]  # what a run takes from old, puts in new


class _Budget:
    """
    Work left for diff_match_patch, handed to it in place of a deadline.

    diff_match_patch stops a middle-snake search once ``time.time() >
    deadline``; Python evaluates that as ``deadline < time.time()``, which
    lands here and spends the work of one more step instead of reading the
    clock.
    """

    def __init__(self, work: int) -> None:
        self.left = work
        self.step = 0

    def __lt__(self, _now: object) -> bool:
        self.left -= self.step
        self.step += 1
        return self.left < 0


class _Engine(diff_match_patch):  # type: ignore[misc]
    """diff_match_patch, restarting the step count of each search."""

    def diff_bisect(
        self, text1: str, text2: str, deadline: object
    ) -> list[tuple[int, str]]:
        if isinstance(deadline, _Budget):
            deadline.step = 0
        result: list[tuple[int, str]] = super().diff_bisect(
            text1, text2, deadline
        )
        return result


def _myers(a: str, b: str, budget: _Budget) -> list[tuple[int, str]] | None:
    """
    Return a minimal diff of *a* and *b*, or None if *budget* runs out.

    Myers' O(ND) greedy search, forward only and keeping each step's
    frontier to walk back: for the small blocks it is given this avoids
    diff_match_patch's recursion, which costs more than the search.
    """
    n, m = len(a), len(b)
    off = n + m + 1
    v = [0] * (2 * off + 1)
    trace: list[list[int]] = []
    for d in range(n + m + 1):
        budget.left -= d
        if budget.left < 0:
            return None
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[off + k - 1] < v[off + k + 1]):
                x = v[off + k + 1]
            else:
                x = v[off + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[off + k] = x
            if x >= n and y >= m:
                return _backtrack(a, b, trace, k, d)
        trace.append(v[off - d : off + d + 1])
    raise AssertionError  # pragma: no cover - d = n + m always ends it


def _backtrack(
    a: str, b: str, trace: list[list[int]], k: int, d: int
) -> list[tuple[int, str]]:
    """Walk back from the end of a Myers search to the diff it found."""
    x = len(a)
    runs: list[
        tuple[int, int, int]
    ] = []  # reversed (op, start, end) on a for 0/-1, on b for 1
    for dd in range(d, 0, -1):
        prev = trace[dd - 1]
        base = dd - 1
        if k == -dd or (k != dd and prev[k - 1 + base] < prev[k + 1 + base]):
            pk = k + 1
            px = prev[pk + base]
            sx = px
        else:
            pk = k - 1
            px = prev[pk + base]
            sx = px + 1
        if x > sx:
            runs.append((0, sx, x))
        if pk == k + 1:
            sy = sx - k
            runs.append((1, sy - 1, sy))
        else:
            runs.append((-1, sx - 1, sx))
        x, k = px, pk
    if x > 0:
        runs.append((0, 0, x))
    out: list[tuple[int, str]] = []
    for op, s, e in reversed(runs):
        text = b[s:e] if op == 1 else a[s:e]
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def _lcs(a: str, b: str) -> list[tuple[int, str]]:
    """
    Return a minimal diff of *a* and *b*, whatever their difference.

    A longest common subsequence found a row of the table at a time, each
    row one integer with a bit per character of *b* (Hyyrö's bit-parallel
    form): a 1 bit where the row's count of matches stays level, a 0 where
    it steps up. A row costs a few big-integer operations, which run in C,
    so the table costs ``len(a) * len(b) / 30`` machine steps and about
    ``len(a) + len(b)`` Python ones, however unlike the two strings are.
    Every row is kept to walk back: ``len(a) * len(b) / 8`` bytes, which
    callers bound.
    """
    n, m = len(a), len(b)
    # Bit j + 1 stands for b[j]; bit 0 stays 0 in every row (the sums
    # below never carry into it), which ends the walk back along a row.
    masks: dict[str, int] = {}
    for j, char in enumerate(b, start=1):
        masks[char] = masks.get(char, 0) | 1 << j
    full = (1 << (m + 1)) - 2
    row = full
    rows = [row]
    get = masks.get
    for char in a:
        matches = row & get(char, 0)
        row = ((row + matches) | (row - matches)) & full
        rows.append(row)
    # Walk back from the end. Where a row's bit is 1 the count came from
    # the left: b's character is inserted. Where it is 0, the count steps
    # up there; if it did not in the row above, the step is new, and new
    # steps sit on matches, so both characters are kept; otherwise it came
    # from above and a's character is deleted.
    size = (m + 8) // 8
    runs: list[list[int]] = []  # reversed [op, count]
    i, j = n, m
    here = rows[n].to_bytes(size, "little")
    while i:
        above = rows[i - 1].to_bytes(size, "little")
        k = j
        while here[k >> 3] >> (k & 7) & 1:
            k -= 1
        if k < j:
            # A row's insertions always follow (walking back) the previous
            # row's keep or deletion: never a run to extend.
            runs.append([1, j - k])
            j = k
        if not j:
            break
        if above[j >> 3] >> (j & 7) & 1:
            op = 0
            j -= 1
        else:
            op = -1
        if runs and runs[-1][0] == op:
            runs[-1][1] += 1
        else:
            runs.append([op, 1])
        i -= 1
        here = above
    if i:
        runs.append([-1, i])
    if j:
        runs.append([1, j])
    out: list[tuple[int, str]] = []
    x = y = 0
    for op, count in reversed(runs):
        if op == 0:
            out.append((0, a[x : x + count]))
            x += count
            y += count
        elif op < 0:
            out.append((-1, a[x : x + count]))
            x += count
        else:
            out.append((1, b[y : y + count]))
            y += count
    return out


def _exact(a: str, b: str) -> list[tuple[int, str]]:
    """
    Return a minimal diff of *a* and *b*, searched for the cheaper way.

    Myers' search costs the square of the number of differences, and wins
    while they are few; once its work outgrows the length of the two
    strings the bit-parallel table, whose cost does not depend on them,
    takes over.
    """
    work = _MYERS_SHARE * (len(a) + len(b))
    # The search takes at least as many steps as the two lengths differ,
    # and step d costs d: skip it when that alone is past the share.
    if (len(a) - len(b)) ** 2 <= 2 * work:
        found = _myers(a, b, _Budget(work))
        if found is not None:
            return found
    if len(b) <= len(a):
        return _lcs(a, b)
    # The table's masks cost the square of the side they index: index the
    # shorter one, and swap the result back.
    return [(-op, text) for op, text in _lcs(b, a)]


def _unrelated(ka: Sequence[str], kb: Sequence[str]) -> bool:
    """Whether two small blocks of tokens share too little text to align."""
    if len(ka) * len(kb) > _EXACT_WORK:
        return False
    total = sum(map(len, ka)) + sum(map(len, kb))
    # Only tokens found on both sides can match, and blanks matched between
    # replaced words do not outlive semantic cleanup: count the rest.
    shared = _shared_size(
        collections.Counter(ka), collections.Counter(kb), blank=False
    )
    return 2 * shared < _UNRELATED * total


def _replace_unrelated(a: str, b: str, out: list[_Triple]) -> bool:
    """
    Replace two unrelated ASCII blocks as _final() would, without tokenising.

    The same decision and the same runs as _final() under semantic cleanup
    with tokens compared as they are, or False (and nothing emitted) when
    it cannot tell cheaply: the blocks share long ends, are related, or
    are too big or too small for the rule. ASCII words split and compared
    in C (_ascii_tokens) cost a fraction of the tokeniser's pass, and the
    common ends are found on characters and moved back to a place that
    starts a token on both sides (_ascii_boundary).
    """
    if a[:_GLANCE] == b[:_GLANCE] or a[-_GLANCE:] == b[-_GLANCE:]:
        # Long common ends: an edited block, which is not unrelated.
        return False
    total = len(a) + len(b)
    head = common_prefix(a, b)
    suffix = common_suffix(a, b)
    # The suffix of what follows the prefix (they may overlap).
    tail = min(suffix, len(a) - head, len(b) - head)
    if 4 * (head + tail) >= total:
        return False
    tokens_a, tokens_b = _ascii_tokens(a), _ascii_tokens(b)
    # What the rule counts: the tokens both sides have but blanks, each
    # other than a word one character.
    shared = _words_shared_at_most(tokens_a[0], tokens_b[0]) + min(
        len(tokens_a[1]), len(tokens_b[1])
    )
    if 2 * shared >= _UNRELATED * total:
        return False
    # A token holds a character at least: most blocks need no closer bound.
    if len(a) * len(b) > _EXACT_WORK and (
        _ascii_tokens_at_most(a, tokens_a) * _ascii_tokens_at_most(b, tokens_b)
        > _EXACT_WORK
    ):
        return False
    # Tokens end where the text stops being the same, or before.
    start = head
    while head and not (_ascii_boundary(a, head) and _ascii_boundary(b, head)):
        head -= 1
    if head < start:
        tail = min(suffix, len(a) - head, len(b) - head)
    end_a, end_b = len(a) - tail, len(b) - tail
    while tail and not (
        _ascii_boundary(a, end_a) and _ascii_boundary(b, end_b)
    ):
        tail, end_a, end_b = tail - 1, end_a + 1, end_b + 1
    deleted, inserted = a[head:end_a], b[head:end_b]
    # Every blank-separated chunk holds a token at least, and so do the
    # blanks between two chunks.
    chunks_a, chunks_b = len(deleted.split()), len(inserted.split())
    if (2 * chunks_a - 1) * (2 * chunks_b - 1) <= _TRIVIAL:
        return False
    if head:
        kept = a[:head]
        out.append((Op.EQUAL, kept, kept))
    out.append((Op.DELETE, deleted, ""))
    out.append((Op.INSERT, "", inserted))
    if tail:
        kept = a[end_a:]
        out.append((Op.EQUAL, kept, kept))
    return True


def _shared_size(
    a: collections.Counter[str],
    b: collections.Counter[str],
    *,
    blank: bool = True,
) -> int:
    """
    Return the size of the tokens two bags have in common, in characters.

    The same as summing ``a & b`` by hand, without building it: every step
    runs in C, which is what makes comparing many blocks cheap.
    """
    common = a.keys() & b.keys()
    keys = list(
        common if blank else itertools.filterfalse(str.isspace, common)
    )
    return sum(
        map(
            operator.mul,
            map(len, keys),
            map(min, map(a.__getitem__, keys), map(b.__getitem__, keys)),
        )
    )


def _ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """
    Return the lengths of the common prefix and suffix of *a* and *b*.

    The suffix is taken from what the prefix leaves. Items are compared
    in C (``map`` and ``takewhile``), not one Python step each: the ends
    of a long document's lines can run to tens of thousands.

    >>> _ends(["a", "b", "c"], ["a", "x", "c"])
    (1, 1)
    """
    end = min(len(a), len(b))
    head = (
        sum(itertools.takewhile(bool, map(operator.eq, a, b)))
        if end and a[0] == b[0]
        else 0
    )
    end -= head
    tail = (
        min(
            end,
            sum(
                itertools.takewhile(
                    bool, map(operator.eq, reversed(a), reversed(b))
                )
            ),
        )
        if end and a[-1] == b[-1]
        else 0
    )
    return head, tail


def _span(units: list[str], start: int, stop: int) -> list[str]:
    """
    Return ``units[start:stop]``, or *units* itself when that is all of it.

    Copying a long document's lines touches every one of them, which
    costs more once they no longer fit in the processor's cache.

    >>> units = ["a", "b"]
    >>> _span(units, 0, 2) is units, _span(units, 1, 2)
    (True, ['b'])
    """
    return units if start == 0 and stop == len(units) else units[start:stop]


def _line_ends(a: str, b: str) -> tuple[int, int]:
    r"""
    Return the sizes of the whole lines *a* and *b* start and end with.

    In characters, found in C: the common prefix cut back to just after a
    line feed, then the common suffix of the rest cut forward to just
    after one. A line ending in a lone CR is not counted, which only
    leaves more to the token-by-token search.

    >>> _line_ends("one\ntwo\nsix\n", "one\nten\nsix\n")
    (4, 4)
    """
    if a == b:
        return len(a), 0
    head = a.rfind("\n", 0, common_prefix(a, b)) + 1
    tail = common_suffix(a, b, min(len(a), len(b)) - head)
    start_a, start_b = len(a) - tail, len(b) - tail
    if not tail or (
        a[start_a - 1 : start_a] in {"", "\n"}
        and b[start_b - 1 : start_b] in {"", "\n"}
    ):
        return head, tail
    start = a.find("\n", start_a, len(a) - 1)
    return head, 0 if start < 0 else len(a) - start - 1


def _moved_past(a: str, b: str, out: list[_Triple]) -> bool:
    r"""
    Emit the runs of a block of lines moved past a long run of others.

    *a* and *b* start with a line and differ in their first and last
    lines. If the lines of *a* from one on are the first lines of *b*
    (or the other way round), at least _MOVED_PAST characters and twice
    what is left on both sides, the change is the lines before them
    moved or replaced by the lines after them: a paragraph moved far down
    a long document, found by one search and one comparison in C instead
    of splitting both texts into lines. Returns False, emitting nothing,
    otherwise.

    >>> out = []
    >>> rest = "".join(f"Line {n}.\n" for n in range(8000))
    >>> _moved_past("Moved.\n" + rest, rest + "Moved.\n", out)
    True
    >>> [(op.name, len(old), len(new)) for op, old, new in out]
    [('DELETE', 7, 0), ('EQUAL', 86890, 86890), ('INSERT', 0, 7)]
    """
    if min(len(a), len(b)) < _MOVED_PAST:
        return False
    for down, (old, new) in enumerate(((b, a), (a, b))):
        first = new.find("\n") + 1
        at = old.find(new[:first]) if first else -1
        if at <= 0 or old[at - 1] != "\n":
            continue
        kept = old[at:]
        # Small beside what it moved past, so keeping that whole is
        # the diff the search would find too.
        moved = len(old) + len(new) - 2 * len(kept)
        if len(kept) < max(_MOVED_PAST, 2 * moved) or not (
            new.startswith(kept)
        ):
            continue
        before, after = old[:at], new[len(kept) :]
        runs = [
            (Op.DELETE, before, "") if down else (Op.INSERT, "", before),
            (Op.EQUAL, kept, kept),
            (Op.INSERT, "", after) if down else (Op.DELETE, after, ""),
        ]
        out.extend(run for run in runs if run[1] or run[2])
        return True
    return False


def _whole_blank_runs(a: str, b: str, head: int, tail: int) -> tuple[int, int]:
    r"""
    Shorten the kept ends of *a* and *b* to runs of whitespace left whole.

    *head* and *tail* are what :func:`_line_ends` found. Whitespace that
    is ignored is compared a run at a time, so a run must not be cut by
    the end of the kept lines: "a\n" kept before a blank line would
    leave that blank line to be deleted on its own. A kept line is given
    back while the text after the kept head, or the kept tail itself,
    starts with whitespace.

    >>> _whole_blank_runs("a\n\nb\n", "a\nb\n", 2, 2)
    (0, 2)
    >>> _whole_blank_runs("a\nb\n c", "a\nx\n c", 2, 3)
    (2, 0)
    """
    while head and (
        a[head : head + 1].isspace() or b[head : head + 1].isspace()
    ):
        head = a.rfind("\n", 0, head - 1) + 1
    while tail and a[len(a) - tail].isspace():
        end = a.find("\n", len(a) - tail)
        tail = 0 if end < 0 else len(a) - end - 1
    return head, tail


def _join_blanks(tokens: list[str], level: str) -> list[str]:
    r"""
    Gather the whitespace of *level*'s tokens so that a run is never cut.

    Whitespace that is ignored must not count: "a  b" and "a b", or a
    paragraph and the same one after an extra blank line, differ only in
    how many tokens their whitespace makes, or where a unit ends inside
    it. In a word or character diff a run of blank tokens becomes one
    token. The coarser units give the whitespace they start with to the
    unit before them, so every run ends a unit (or starts the first).

    >>> _join_blanks(["a", " ", "\n", " ", "b"], "word")
    ['a', ' \n ', 'b']
    >>> _join_blanks(["\n", "One\n", "\n", "  Two"], "line")
    ['\nOne\n\n  ', 'Two']
    """
    joined: list[str] = []
    if level in {"word", "char"}:
        for token in tokens:
            if joined and token.isspace() and joined[-1].isspace():
                joined[-1] += token
            else:
                joined.append(token)
        return joined
    leading = ""
    for token in tokens:
        rest = token.lstrip()
        if joined:
            joined[-1] += token[: len(token) - len(rest)]
            if rest:
                joined.append(rest)
        elif rest:
            joined.append(leading + token)
            leading = ""
        else:
            leading += token
    if leading:
        joined.append(leading)
    return joined


def _code(index: int) -> str:
    """Return the character standing for the token numbered *index*."""
    return chr(index if index < _SURROGATES else index + 0x800)


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], *, blank: bool = True
) -> list[tuple[int, int]]:
    """Pair items unique in both *a* and *b*, keeping the longest in order."""
    if set(a).isdisjoint(b):
        # Rewritten blocks share nothing: no need to count.
        return []
    once_a, once_b = _once(a), _once(b)
    # In the order of a, each unit looked up once: finding a unit in b
    # compares the two character by character, which on a long document
    # is most of the cost.
    found = list(map(once_b.get, once_a))
    shared = list(map(operator.is_not, found, itertools.repeat(None)))
    if not blank:
        # A unique blank line says nothing about what else matches.
        shared = list(
            map(
                operator.and_,
                shared,
                map(operator.not_, map(str.isspace, once_a)),
            )
        )
    # Only the units found in b are left, so no None.
    js = cast("list[int]", list(itertools.compress(found, shared)))
    pairs = list(
        zip(itertools.compress(once_a.values(), shared), js, strict=True)
    )
    if all(map(operator.lt, js, itertools.islice(js, 1, None))):
        # Already in order on both sides: a common case, checked in C.
        return pairs
    # Longest increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for n, j in enumerate(js):
        if tails and j > tails[-1]:
            # Past every pile (most values in a run of lines kept in
            # order): no search.
            back.append(tail_at[-1])
            tails.append(j)
            tail_at.append(n)
            continue
        slot = bisect.bisect_left(tails, j)
        back.append(tail_at[slot - 1] if slot else -1)
        if slot == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[slot] = j
            tail_at[slot] = n
    chain: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    chain.reverse()
    return chain


def _once(units: Sequence[str]) -> dict[str, int]:
    """
    Return where each unit found once in *units* is, in their order.

    Every step is in C: a line-level pass over a long document has tens
    of thousands of units.

    >>> _once(["a", "b", "a", "c"])
    {'b': 1, 'c': 3}
    """
    counts = collections.Counter(units)
    # Both dicts have their keys in order of first appearance.
    where = dict(zip(units, itertools.count()))
    return dict(
        itertools.compress(
            where.items(),
            map(operator.eq, counts.values(), itertools.repeat(1)),
        )
    )


def _around(
    anchors: list[tuple[int, int]],
    ka: Sequence[str],
    kb: Sequence[str],
    block: tuple[int, int, int, int],
) -> list[tuple[str, int, int, int, int]]:
    """
    Return the runs of anchored units and the gaps between them, in order.

    *anchors* are pairs of positions in the blocks ``ka[m0:m1]`` and
    ``kb[n0:n1]`` (*block* is ``(m0, m1, n0, n1)``), counted from their
    starts. Anchors next to each other on both sides make one equal run,
    as do anchors with the same units between them (a blank line between
    two unique paragraphs), and empty gaps are left out: an unchanged
    stretch of a long document is tens of thousands of anchors.

    >>> anchors = [(0, 0), (1, 1), (4, 3), (5, 4)]
    >>> for run in _around(anchors, "abcxde", "abyde", (0, 6, 0, 5)):
    ...     print(run)
    ('equal', 0, 2, 0, 2)
    ('gap', 2, 4, 2, 3)
    ('equal', 4, 6, 3, 5)
    """
    m0, m1, n0, n1 = block
    todo: list[tuple[str, int, int, int, int]] = []
    i, j = m0, n0
    # Each anchor is one unit long; the blocks' ends close the last gap.
    stops = itertools.chain(
        ((m0 + ai, n0 + bj, 1) for ai, bj in anchors), [(m1, n1, 0)]
    )
    for x, y, size in stops:
        # Both empty, or the same units: no gap to diff.
        if x - i == y - j and ka[i:x] == kb[j:y]:
            if todo and todo[-1][0] == "equal":
                i, j = todo.pop()[1::2]
            if x + size > i:
                todo.append(("equal", i, x + size, j, y + size))
        else:
            todo.append(("gap", i, x, j, y))
            if size:
                todo.append(("equal", x, x + 1, y, y + 1))
        i, j = x + size, y + size
    return todo


def _pair_units(
    a: Sequence[str], b: Sequence[str], *, aligned: bool
) -> list[tuple[int, int]]:
    """
    Pair the units of *a* and *b*, in order.

    If *aligned*, only units that carry text pair, and small blocks are
    aligned by dynamic programming to pair units of like length (the
    longest pairs hold the most matches of a rewritten text); larger ones
    pair first with first. Otherwise every unit pairs by its position.
    """
    if not aligned:
        return list(
            zip(
                range(len(a)),
                range(len(b)),
                strict=False,  # pragma: no mutate (zip's default, for B905)
            )
        )
    xs = [i for i, unit in enumerate(a) if not unit.isspace()]
    ys = [j for j, unit in enumerate(b) if not unit.isspace()]
    if len(xs) * len(ys) > _ALIGN_WORK:
        return list(
            zip(
                xs,
                ys,
                strict=False,  # pragma: no mutate (zip's default, for B905)
            )
        )
    sizes = [len(b[j]) for j in ys]
    rows = [[0] * (len(ys) + 1)]
    for i in xs:
        above, row = rows[-1], [0]
        size = len(a[i])
        for j, other in enumerate(sizes):
            row.append(max(above[j + 1], row[j], above[j] + min(size, other)))
        rows.append(row)
    pairs = []
    p, q = len(xs), len(ys)
    while p and q:
        if rows[p][q] == rows[p - 1][q]:
            p -= 1
        elif rows[p][q] == rows[p][q - 1]:
            q -= 1
        else:
            p, q = p - 1, q - 1
            pairs.append((xs[p], ys[q]))
    pairs.reverse()
    return pairs


def _pairs(
    a: Sequence[str], b: Sequence[str], i0: int, j0: int, *, aligned: bool
) -> list[tuple[str, int, int, int, int]]:
    """
    Split two blocks of changed units into blocks diffed one by one.

    Each block ends at a pair of units (see :func:`_pair_units`) and
    takes the unpaired units before it. If *aligned*, the last takes what
    is left; otherwise the units left over on the longer side are a block
    of their own, inserted or deleted whole: attached to the last pair,
    a handful of units against many thousands would make one lopsided
    block that costs more than all the others.
    """
    pairs = _pair_units(a, b, aligned=aligned)
    ends = [(x + 1, y + 1) for x, y in (pairs if not aligned else pairs[:-1])]
    if not ends or ends[-1] != (len(a), len(b)):
        ends.append((len(a), len(b)))
    todo = []
    i = j = 0
    for end_x, end_y in ends:
        kind = "equal" if a[i:end_x] == b[j:end_y] else "finer"
        todo.append((kind, i0 + i, i0 + end_x, j0 + j, j0 + end_y))
        i, j = end_x, end_y
    return todo


def _key_function(
    level: str, *, whitespace: bool, case: bool, typography: bool
) -> Callable[[str], str] | None:
    """Return how tokens of *level* compare, or None when as they are."""
    if not (whitespace or case or typography):
        return None
    coarse = level in {"sentence", "line", "paragraph"}

    def key(token: str) -> str:
        if typography:
            token = token.translate(_TYPOGRAPHY)
        if whitespace:
            if coarse:
                token = " ".join(token.split())
            elif token.isspace():
                token = " "  # noqa: S105 - not a password
        if case:
            token = token.casefold()
        return token

    return key


@attrs.frozen
class _Differ:
    """The options of one diff() call, and the algorithm that uses them."""

    granularity: str
    cleanup: str
    whitespace: bool
    case: bool
    typography: bool
    deadline: float | None
    budget: _Budget = attrs.field(eq=False, repr=False)

    def run(self, old: str, new: str) -> list[_Triple]:
        out: list[_Triple] = []
        self._anchor(old, new, 0, out)
        return out

    def _key(self, level: str) -> Callable[[str], str] | None:
        return _key_function(
            level,
            whitespace=self.whitespace,
            case=self.case,
            typography=self.typography,
        )

    def _tokens(self, text: str, level: str) -> list[str]:
        """Split *text* into the units of *level* that are compared."""
        tokens = tokenize(text, level)
        # Whitespace ignored is gathered into whole runs to be matched,
        # except in the units a line, sentence or paragraph diff reports:
        # there a blank line is a unit of its own, not part of the one
        # before it, or a changed line would take its blank lines along.
        if self.whitespace and (
            level in {"word", "char"} or level != self.granularity
        ):
            return _join_blanks(tokens, level)
        return tokens

    def _equal(
        self, ta: Sequence[str], tb: Sequence[str], out: list[_Triple]
    ) -> None:
        """Emit equal tokens, splitting off runs whose old text differs."""
        if not ta:
            return
        old, new = "".join(ta), "".join(tb)
        if old == new:
            out.append((Op.EQUAL, old, new))
            return
        start = 0
        for i in range(1, len(ta) + 1):
            if i == len(ta) or (ta[i] == tb[i]) != (ta[start] == tb[start]):
                out.append(
                    (Op.EQUAL, "".join(ta[start:i]), "".join(tb[start:i]))
                )
                start = i

    def _anchor(self, a: str, b: str, depth: int, out: list[_Triple]) -> None:
        """Diff *a* and *b* on the anchor level *depth*, then finer."""
        levels = _ANCHOR_LEVELS[self.granularity]
        if depth == len(levels):
            self._final(a, b, out)
            return
        level = levels[depth]
        key = self._key(level)
        kept_tail = ""
        if level == "line":
            # Lines the texts start or end with are kept without being
            # split: a long document with a change in one place is mostly
            # such lines.
            head, tail = _line_ends(a, b)
            if self.whitespace:
                head, tail = _whole_blank_runs(a, b, head, tail)
            if head:
                kept = a[:head]
                out.append((Op.EQUAL, kept, kept))
            kept_tail = a[len(a) - tail :] if tail else ""
            a, b = a[head : len(a) - tail], b[head : len(b) - tail]
            # Compared as they are, the lines may be a block moved past
            # all the others.
            if key is None and _moved_past(a, b, out):
                if kept_tail:
                    out.append((Op.EQUAL, kept_tail, kept_tail))
                return
        ta, tb = self._tokens(a, level), self._tokens(b, level)
        ka = ta if key is None else [key(t) for t in ta]
        kb = tb if key is None else [key(t) for t in tb]
        stack: list[tuple[str, int, int, int, int]] = [
            ("gap", 0, len(ta), 0, len(tb))
        ]
        while stack:
            kind, i0, i1, j0, j1 = stack.pop()
            if kind == "equal":
                if key is None:
                    # Tokens compared as they are: the run is the same text
                    # on both sides.
                    if i0 < i1:
                        text = "".join(ta[i0:i1])
                        out.append((Op.EQUAL, text, text))
                    continue
                for i, j in zip(range(i0, i1), range(j0, j1), strict=True):
                    if ta[i] == tb[j]:
                        out.append((Op.EQUAL, ta[i], tb[j]))
                    else:
                        # Equal once normalised: find what differs, and
                        # report it, in the diff's own tokens.
                        self._final(ta[i], tb[j], out)
                continue
            if kind == "finer":
                self._anchor(
                    "".join(ta[i0:i1]), "".join(tb[j0:j1]), depth + 1, out
                )
                continue
            head, tail = _ends(_span(ka, i0, i1), _span(kb, j0, j1))
            todo = [("equal", i0, i0 + head, j0, j0 + head)]
            m0, m1, n0, n1 = i0 + head, i1 - tail, j0 + head, j1 - tail
            # Two single units left between equal ends differ: only
            # larger blocks can hold an anchor.
            anchors = (
                _unique_anchors(
                    _span(ka, m0, m1), _span(kb, n0, n1), blank=False
                )
                if m0 < m1 and n0 < n1 and (m1 - m0 > 1 or n1 - n0 > 1)
                else []
            )
            if anchors:
                todo += _around(anchors, ka, kb, (m0, m1, n0, n1))
            elif min(m1 - m0, n1 - n0) > 1 and self._split(
                level,
                # The block's size, in characters on each side: measured
                # here only, as a pass over every unit of a long document
                # costs more than the few blocks that need it.
                sum(map(len, _span(ta, m0, m1)))
                * sum(map(len, _span(tb, n0, n1))),
                same_count=m1 - m0 == n1 - n0,
            ):
                # Every line (or sentence) changed: diff them pair by pair,
                # in order, the last pair taking what is left over, rather
                # than as one block whose exact diff costs the square of
                # its size.
                todo += _pairs(
                    ka[m0:m1],
                    kb[n0:n1],
                    m0,
                    n0,
                    # Semantic cleanup replaces a rewritten block whole
                    # anyway: pairing its paragraphs with care only spends
                    # the search budget on matches it would then drop.
                    aligned=self.cleanup != "semantic",
                )
            elif m0 < m1 or n0 < n1:
                todo.append(("finer", m0, m1, n0, n1))
            todo.append(("equal", i1 - tail, i1, j1 - tail, j1))
            stack.extend(reversed(todo))
        if kept_tail:
            out.append((Op.EQUAL, kept_tail, kept_tail))

    def _split(self, level: str, work: int, *, same_count: bool) -> bool:
        """
        Whether a changed block of *level* units is diffed pair by pair.

        *work* is the product of its sizes in characters, and
        *same_count* whether as many units changed on both sides.
        """
        # Without semantic cleanup every match counts: a block whose exact
        # diff is affordable (a token is a character, or about three in
        # the coarser granularities) is not split.
        per_token = 1 if self.granularity == "char" else _CHARS_PER_TOKEN
        if self.cleanup != "semantic" and work <= per_token**2 * _LCS_CELLS:
            return False
        # Lines pair up when as many changed; sentences only under
        # semantic cleanup, which turns a rewritten run of them into
        # replacements anyway.
        return work > _SPLIT_WORK or (
            (
                (level == "line" and same_count)
                or (level == "sentence" and self.cleanup == "semantic")
            )
            and work > _PAIR_WORK
        )

    def _final(self, a: str, b: str, out: list[_Triple]) -> None:
        """Diff *a* and *b* token by token at the diff's own granularity."""
        if not a or not b:
            if a:
                out.append((Op.DELETE, a, ""))
            if b:
                out.append((Op.INSERT, "", b))
            return
        # A word diff under semantic cleanup, its tokens compared as they
        # are, may replace unrelated ASCII blocks before tokenising them.
        if (
            self.granularity == "word"
            and self.cleanup == "semantic"
            and not (self.whitespace or self.case or self.typography)
            and a.isascii()
            and b.isascii()
            and _replace_unrelated(a, b, out)
        ):
            return
        ta = self._tokens(a, self.granularity)
        tb = self._tokens(b, self.granularity)
        key = self._key(self.granularity)
        ka, kb = (
            (ta, tb)
            if key is None
            else (list(map(key, ta)), list(map(key, tb)))
        )
        head, tail = _ends(ka, kb)
        rest_a = len(ka) - head - tail
        rest_b = len(kb) - head - tail
        if rest_a == rest_b == 1 or (
            self.cleanup == "semantic"
            and rest_a * rest_b > _TRIVIAL
            and _unrelated(ka, kb)
        ):
            # One token replaced between the common ends is the diff under
            # any cleanup. And semantic cleanup would merge the few
            # coincidental matches of a rewritten block into one
            # replacement between its common ends: skip finding them.
            self._replace(ta, tb, head, tail, out)
            return
        # Number the distinct tokens in order of first appearance, in one
        # pass over each side rather than a lookup per token.
        distinct = dict.fromkeys(itertools.chain(ka, kb))
        if len(distinct) > _MAX_CODES:
            # More distinct tokens than code points: give up on the block's
            # middle rather than on the whole diff.
            self._replace(ta, tb, head, tail, out)
            return
        codes = dict(
            zip(distinct, map(_code, range(len(distinct))), strict=True)
        )
        chars_a = "".join(map(codes.__getitem__, ka))
        chars_b = "".join(map(codes.__getitem__, kb))
        # The common ends stay matched, as diff_match_patch keeps them.
        diffs = [
            (0, chars_a[:head]),
            *self._bounded(
                chars_a[head : head + rest_a], chars_b[head : head + rest_b]
            ),
            (0, chars_a[head + rest_a :]),
        ]
        diffs = [run for run in diffs if run[1]]
        engine = self._engine()
        if self.cleanup == "semantic":
            engine.diff_cleanupSemantic(diffs)
        elif self.cleanup == "efficiency":
            engine.diff_cleanupEfficiency(diffs)
        i = j = 0
        for op, text in diffs:
            size = len(text)
            if op == 0:
                self._equal(ta[i : i + size], tb[j : j + size], out)
                i, j = i + size, j + size
            elif op < 0:
                out.append((Op.DELETE, "".join(ta[i : i + size]), ""))
                i += size
            else:
                out.append((Op.INSERT, "", "".join(tb[j : j + size])))
                j += size

    def _replace(
        self,
        ta: Sequence[str],
        tb: Sequence[str],
        head: int,
        tail: int,
        out: list[_Triple],
    ) -> None:
        """Emit the common ends as equal, and all between as replaced."""
        self._equal(ta[:head], tb[:head], out)
        deleted = "".join(ta[head : len(ta) - tail])
        inserted = "".join(tb[head : len(tb) - tail])
        if deleted:
            out.append((Op.DELETE, deleted, ""))
        if inserted:
            out.append((Op.INSERT, "", inserted))
        self._equal(ta[len(ta) - tail :], tb[len(tb) - tail :], out)

    def _engine(self) -> diff_match_patch:
        dmp = _Engine()
        # No deadline unless asked: the same texts always give the same diff.
        dmp.Diff_Timeout = self.deadline or 0
        return dmp

    def _bounded(self, a: str, b: str) -> list[tuple[int, str]]:
        """Diff two token strings, splitting big blocks on unique tokens."""
        engine = self._engine()
        stop: float | _Budget = (
            self.budget
            if self.deadline is None
            else time.time() + self.deadline
        )
        result: list[tuple[int, str]] = []
        stack: list[tuple[bool, int, int, int, int]] = [
            (False, 0, len(a), 0, len(b))
        ]
        while stack:
            equal, i0, i1, j0, j1 = stack.pop()
            if equal:
                result.append((0, a[i0:i1]))
                continue
            sub_a, sub_b = a[i0:i1], b[j0:j1]
            if not sub_a or not sub_b:
                if sub_a:
                    result.append((-1, sub_a))
                if sub_b:
                    result.append((1, sub_b))
                continue
            if len(sub_a) * len(sub_b) <= _EXACT_WORK:
                if self.deadline is not None:
                    result.extend(
                        engine.diff_main(sub_a, sub_b, False, stop)  # noqa: FBT003
                    )
                else:
                    result.extend(_exact(sub_a, sub_b))
                continue
            head, tail = common_ends(sub_a, sub_b)
            if head or tail:
                stack.append((True, i1 - tail, i1, 0, 0))
                stack.append(
                    (False, i0 + head, i1 - tail, j0 + head, j1 - tail)
                )
                stack.append((True, i0, i0 + head, 0, 0))
                continue
            if (
                self.deadline is None
                and len(sub_a) * len(sub_b) <= _LCS_CELLS
                and len(sub_a) + len(sub_b) <= _LCS_TOKENS
            ):
                result.extend(_exact(sub_a, sub_b))
                continue
            anchors = _unique_anchors(sub_a, sub_b)
            if not anchors:
                # diff_match_patch's search needs linear space, and stops
                # with one deletion and one insertion once the budget is
                # spent.
                result.extend(
                    engine.diff_main(sub_a, sub_b, False, stop)  # noqa: FBT003
                )
                continue
            todo: list[tuple[bool, int, int, int, int]] = []
            i, j = i0, j0
            for ai, bj in anchors:
                todo.append((False, i, i0 + ai, j, j0 + bj))
                todo.append((True, i0 + ai, i0 + ai + 1, 0, 0))
                i, j = i0 + ai + 1, j0 + bj + 1
            todo.append((False, i, i1, j, j1))
            stack.extend(reversed(todo))
        return [(op, text) for op, text in result if text]


def _build_edits(triples: Iterable[_Triple]) -> list[Edit]:
    """Merge runs into edits: deletions before insertions between equals."""
    edits: list[Edit] = []
    deleted: list[str] = []
    inserted: list[str] = []
    kept_old: list[str] = []
    kept_new: list[str] = []
    kept_ignored = False
    for op, old, new in triples:
        if op is Op.EQUAL:
            if not (new or old):
                continue
            if deleted:
                edits.append(Edit(Op.DELETE, "".join(deleted)))
                deleted = []
            if inserted:
                edits.append(Edit(Op.INSERT, "".join(inserted)))
                inserted = []
            ignored = old != new
            if ignored != kept_ignored:
                if kept_new or kept_old:
                    edits.append(
                        _kept(kept_old, kept_new, ignored=kept_ignored)
                    )
                    kept_old, kept_new = [], []
                kept_ignored = ignored
            kept_old.append(old)
            kept_new.append(new)
            continue
        if kept_new or kept_old:
            edits.append(_kept(kept_old, kept_new, ignored=kept_ignored))
            kept_old, kept_new = [], []
        if op is Op.DELETE:
            deleted.append(old)
        else:
            inserted.append(new)
    if kept_new or kept_old:
        edits.append(_kept(kept_old, kept_new, ignored=kept_ignored))
    if deleted:
        edits.append(Edit(Op.DELETE, "".join(deleted)))
    if inserted:
        edits.append(Edit(Op.INSERT, "".join(inserted)))
    return edits


def _kept(old: list[str], new: list[str], *, ignored: bool) -> Edit:
    """Return the equal edit of a run of kept tokens."""
    return Edit(Op.EQUAL, "".join(new), old="".join(old) if ignored else None)


def _similarity(edits: Iterable[Edit], old: str, new: str) -> float:
    """Return the share of two texts, not both empty, that the edits keep."""
    kept = sum(
        len(e.old_text) + len(e.new_text) for e in edits if e.op is Op.EQUAL
    )
    return kept / (len(old) + len(new))


def _find_moves(
    edits: list[Edit], differ: _Differ, threshold: float
) -> tuple[list[Edit], list[Move]]:
    """Pair deleted and inserted blocks that are similar enough into moves."""
    # A moved paragraph next to another changed one shares its deletion or
    # insertion: each paragraph of a change is a candidate of its own, and
    # the pieces that do not move are joined again at the end.
    original = edits
    edits = list(itertools.chain.from_iterable(map(_paragraph_pieces, edits)))
    sources: list[int] = []
    targets: list[int] = []
    for i, e in enumerate(edits):
        if (
            e.op is not Op.EQUAL
            and len(e.text) >= _MIN_MOVE
            and _non_blank(e.text) >= _MIN_MOVE
        ):
            (sources if e.op is Op.DELETE else targets).append(i)
    if not sources or not targets:
        return original, []
    # Score on the minimal word diff; show the readable one.
    scorer = attrs.evolve(differ, granularity="word", cleanup="none")
    inner = attrs.evolve(differ, granularity="word", cleanup="semantic")
    key = differ._key("word") or str.casefold  # noqa: SLF001 - same module

    # Votes count the blank-separated chunks blocks share, which costs far
    # less than tokenising every block; only the few candidates a deletion
    # is compared with are tokenised into words.
    # Kept in order of first appearance, so that ties between candidates
    # break the same way in every process (a set's order follows the
    # string hashes, which change from one process to the next). Made when
    # needed, not kept: a long history has hundreds of thousands of them.
    def chunks(i: int) -> dict[str, None]:
        return dict.fromkeys(key(edits[i].text).split())

    bags: dict[int, collections.Counter[str]] = {}

    def bag(i: int) -> collections.Counter[str]:
        if i not in bags:
            bags[i] = collections.Counter(map(key, tokenize(edits[i].text)))
        return bags[i]

    # ASCII blocks first get a bound that needs no tokenising (see
    # _rough_bag): casefolding everything only loosens it.
    rough_bags: dict[int, tuple[list[bytes], int] | None] = {}

    def rough(i: int) -> tuple[list[bytes], int] | None:
        if i not in rough_bags:
            text = edits[i].text
            rough_bags[i] = _rough_bag(text) if text.isascii() else None
        return rough_bags[i]

    # Index the insertions by their rarer chunks, so a deletion is compared
    # with a few likely destinations, not all of them.
    everywhere: collections.defaultdict[str, list[int]] = (
        collections.defaultdict(list)
    )
    for i in targets:
        for token in chunks(i):
            everywhere[token].append(i)
    postings = {
        token: found
        for token, found in everywhere.items()
        if len(found) <= _COMMON
    }
    # Edits with the same count of equal edits before them are neighbours
    # in one replacement, not a move.
    region = list(
        itertools.accumulate((e.op is Op.EQUAL for e in edits), initial=0)
    )
    used: set[int] = set()
    pairs: list[tuple[int, int, list[Edit]]] = []
    for s in sources:
        own = chunks(s)
        lists = list(
            map(postings.__getitem__, filter(postings.__contains__, own))
        )
        votes = collections.Counter(itertools.chain.from_iterable(lists))
        # A block that kept as much as the threshold asks shares most of
        # its rarer chunks with its destination; a few in common are a
        # coincidence of two unrelated blocks. Its rarer chunks found in no
        # insertion count against it too, all but _SPARED of them: all its
        # chunks but those found, and found too often to be in postings.
        rarer = len(own) - sum(map(everywhere.__contains__, own)) + len(lists)
        enough = threshold * max(len(lists), rarer - _SPARED) / 2
        if not votes or max(votes.values()) < enough:
            continue
        text = edits[s].text
        best: tuple[float, int, list[Edit]] | None = None
        # The four likeliest destinations with enough votes, ties in order
        # of first vote (as Counter.most_common breaks them, without its
        # heap in Python).
        likely = sorted(
            (t for t, count in votes.items() if count >= enough),
            key=votes.__getitem__,
            reverse=True,
        )[:4]
        for t in likely:
            other = edits[t].text
            # What the blocks could keep, as a share of both: at most the
            # shorter one twice.
            total = len(text) + len(other)
            if (
                t in used
                or region[s] == region[t]
                or 2 * min(len(text), len(other)) < threshold * total
            ):
                continue
            # Only tokens found on both sides can be kept: an upper bound
            # of the similarity, far cheaper than the diff.
            rough_s, rough_t = rough(s), rough(t)
            if (
                rough_s is not None
                and rough_t is not None
                and 2
                * (
                    _words_shared_at_most(rough_s[0], rough_t[0])
                    + min(rough_s[1], rough_t[1])
                )
                < threshold * total
            ):
                continue
            if 2 * _shared_size(bag(s), bag(t)) < threshold * total:
                continue
            score = _similarity(
                _build_edits(scorer.run(text, other)), text, other
            )
            if score >= threshold and (best is None or score > best[0]):
                best = (score, t, _build_edits(inner.run(text, other)))
        if best is not None:
            used.add(best[1])
            pairs.append((s, best[1], best[2]))
    if not pairs:
        return original, []
    for number, (s, t, _inner) in enumerate(pairs, start=1):
        edits[s] = attrs.evolve(edits[s], move=number)
        edits[t] = attrs.evolve(edits[t], move=number)
    # Join the neighbouring pieces of one change that found no move, in
    # one join per run of pieces.
    runs: list[list[Edit]] = []
    where: list[int] = []
    for e in edits:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and e.op is last.op is not Op.EQUAL
            and e.move is None
            and last.move is None
        ):
            runs[-1].append(e)
        else:
            runs.append([e])
        where.append(len(runs) - 1)
    joined = [
        run[0]
        if len(run) == 1
        else attrs.evolve(run[0], text="".join(e.text for e in run))
        for run in runs
    ]
    moves = [
        Move(number, where[s], where[t], tuple(inner))
        for number, (s, t, inner) in enumerate(pairs, start=1)
    ]
    return joined, moves


# The ASCII characters str.split() splits on.
_ASCII_BLANKS = bytes(c for c in range(128) if chr(c).isspace())


def _non_blank(text: str) -> int:
    r"""
    Return the number of characters of *text* that are not blank.

    >>> _non_blank("a b\u00a0c\n")
    3
    """
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_BLANKS))
    return len("".join(text.split()))


def _rough_bag(text: str) -> tuple[list[bytes], int]:
    """
    Return the casefolded words of ASCII *text*, and its other characters.

    An upper bound of what a block can share with another, without a
    tokeniser's pass: shared word tokens are shared words here (see
    :func:`_words_shared_at_most`), and the blanks and punctuation two
    blocks share are at most the fewer of their counts of other
    characters.

    >>> _rough_bag("Hello,  hello!")
    ([b'hello', b'hello'], 4)
    """
    words = _ascii_words(text.lower().encode("ascii"))
    return words, len(text) - len(b"".join(words))


# What each ASCII character is to the word tokeniser: part of a word
# ("w"), of a run of blanks ("b"), or a token of its own ("o"; a line break
# "\r\n" is one token of two).
_ASCII_CLASS = "".join(
    "w"
    if chr(c).isalnum() or chr(c) == "_"
    else "b"
    if chr(c).isspace() and chr(c) not in "\r\n"
    else "o"
    for c in range(128)
)
_WORD_BYTES = bytes(c for c in range(128) if _ASCII_CLASS[c] == "w")
# Turns every other byte into a blank, so that a split finds the words.
_WORDS_APART = bytes.maketrans(
    bytes(c for c in range(256) if c not in _WORD_BYTES),
    b" " * (256 - len(_WORD_BYTES)),
)
# Deleted to leave the characters that are tokens of their own but blank.
_WORDS_AND_BLANKS = _WORD_BYTES + _ASCII_BLANKS


def _ascii_tokens(text: str) -> tuple[list[bytes], bytes]:
    r"""
    Return the word tokens of ASCII *text* that are not blank, in two parts.

    In ASCII those tokens are runs of word characters, returned in order,
    and single characters of any other kind but blanks, returned as one
    string: a translate and a split in C find them, where the tokeniser's
    pass takes several times longer.

    >>> _ascii_tokens("Hello,  world!\n")
    ([b'Hello', b'world'], b',!')
    """
    raw = text.encode("ascii")
    return _ascii_words(raw), raw.translate(None, _WORDS_AND_BLANKS)


def _ascii_words(raw: bytes) -> list[bytes]:
    """
    Return the words of ASCII text *raw* (its runs of word characters).

    >>> _ascii_words(b"it's x_1")
    [b'it', b's', b'x_1']
    """
    return raw.translate(_WORDS_APART).split()


def _words_shared_at_most(a: list[bytes], b: list[bytes]) -> int:
    """
    Bound the size of the words two lists of words have in common.

    At least the sum, over the words found in both, of a word's size times
    the fewer of its counts: neither side can keep more of them than it
    has. Every step is in C.

    >>> _words_shared_at_most([b"ab", b"ab", b"c"], [b"ab", b"d"])
    2
    """
    both = set(a).intersection(b)
    if not both:
        return 0
    return min(
        len(b"".join(filter(both.__contains__, a))),
        len(b"".join(filter(both.__contains__, b))),
    )


def _ascii_tokens_at_most(text: str, tokens: tuple[list[bytes], bytes]) -> int:
    """
    Bound the number of word tokens in ASCII *text* from above.

    Its tokens are its *tokens* (see :func:`_ascii_tokens`), its line
    breaks, and runs of blanks, of which there is at most one more than of
    all the others.
    """
    words, other = tokens
    others = len(words) + len(other) + text.count("\n") + text.count("\r")
    return 2 * others + 1


def _ascii_boundary(text: str, index: int) -> bool:
    """
    Whether a word token of ASCII *text* starts (or the text ends) at *index*.

    >>> [i for i in range(7) if _ascii_boundary("ab  c.", i)]
    [0, 2, 4, 5, 6]
    """
    if not 0 < index < len(text):
        return True
    pair = text[index - 1 : index + 1]
    # No boundary inside a word, a run of blanks or a CR LF line break.
    classes = _ASCII_CLASS[ord(pair[0])] + _ASCII_CLASS[ord(pair[1])]
    return classes not in {"ww", "bb"} and pair != "\r\n"


def _paragraph_pieces(edit: Edit) -> list[Edit]:
    r"""
    Split a deletion or insertion of several paragraphs into them.

    Anything else is one piece, as is a text without a CR or LF (the only
    characters lines end at; a text with CR line endings is split too).

    >>> [e.text for e in _paragraph_pieces(Edit(Op.DELETE, "One\n\nTwo"))]
    ['One\n\n', 'Two']
    """
    text = edit.text
    if edit.op is Op.EQUAL or ("\n" not in text and "\r" not in text):
        return [edit]
    pieces = tokenize(text, "paragraph")
    if len(pieces) == 1:
        return [edit]
    return [attrs.evolve(edit, text=piece) for piece in pieces]


def _compute_stats(edits: Sequence[Edit]) -> DiffStats:
    """Count what *edits* change."""
    chars = {Op.INSERT: 0, Op.DELETE: 0}
    words = {Op.INSERT: 0, Op.DELETE: 0}
    lines = {Op.INSERT: 0, Op.DELETE: 0}
    run = {Op.INSERT: 0, Op.DELETE: 0}  # characters changed since an equal
    distance = 0
    for e in edits:
        if e.op is Op.EQUAL:
            distance += max(run.values())
            run = {Op.INSERT: 0, Op.DELETE: 0}
            continue
        size = len(e.text)
        chars[e.op] += size
        run[e.op] += size
        words[e.op] += count_words(e.text)
        lines[e.op] += len(_LINE_BREAK.findall(e.text))
    distance += max(run.values())
    old = sum(len(e.old_text) for e in edits)
    new = sum(len(e.new_text) for e in edits)
    kept = old - chars[Op.DELETE] + new - chars[Op.INSERT]
    return DiffStats(
        chars[Op.INSERT],
        chars[Op.DELETE],
        words[Op.INSERT],
        words[Op.DELETE],
        lines[Op.INSERT],
        lines[Op.DELETE],
        similarity=kept / (old + new) if old + new else 1.0,
        distance=distance,
    )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return *value* if it is one of *allowed*, or raise naming both."""
    if not isinstance(value, str) or value not in allowed:
        msg = (
            f"{name} must be one of {', '.join(map(repr, allowed))}, "
            f"got {value!r}"
        )
        raise InvalidRevisionError(msg)
    return value


def diff(
    old: str,
    new: str,
    *,
    granularity: Literal[
        "char", "word", "sentence", "line", "paragraph"
    ] = "word",
    cleanup: Literal["semantic", "efficiency", "none"] = "semantic",
    ignore_whitespace: bool = False,
    ignore_case: bool = False,
    ignore_typography: bool = False,
    detect_moves: bool = True,
    move_threshold: float = 0.75,
    deadline: float | None = None,
) -> Diff:
    """
    Compute the edits that turn *old* into *new*.

    Unchanged lines are matched first (on lines unique to both sides, as
    in patience diff), then unchanged sentences inside the changed blocks,
    and only what is left is diffed token by token with diff-match-patch.
    No clock decides the result unless *deadline* is given.

    Args:
        old: The text before.
        new: The text after.
        granularity: The smallest unit that is kept or changed:
            ``"char"``, ``"word"``, ``"sentence"``, ``"line"`` or
            ``"paragraph"``.
        cleanup: ``"semantic"`` merges small coincidental matches into the
            changes around them so the diff reads well; ``"efficiency"``
            does so only where it makes the diff cheaper to apply;
            ``"none"`` keeps the minimal diff.
        ignore_whitespace: Treat any run of whitespace as equal to any
            other (a space, a tab, a line break).
        ignore_case: Treat upper and lower case as equal.
        ignore_typography: Treat curly and straight quotes, dashes and
            hyphens, and non-breaking and ordinary spaces as equal.
        detect_moves: Report a block deleted in one place and inserted in
            another as a :class:`Move`.
        move_threshold: How similar (0 to 1) the two blocks must be to
            count as a move.
        deadline: Seconds diff-match-patch may spend before settling for a
            coarser answer; ``None`` (the default) means no deadline, so
            the result never depends on the machine.

    Returns:
        The diff, in which ignored differences stay visible, because the
        equal edits that hide them carry the old text in :attr:`Edit.old`.

    Raises:
        InvalidRevisionError: If *old* or *new* is not a string, or an
            option has a value not listed above.

    >>> d = diff("The cat sat.", "The dog sat.")
    >>> [(e.op.name, e.text) for e in d.edits]
    [('EQUAL', 'The '), ('DELETE', 'cat'), ('INSERT', 'dog'), ('EQUAL', ...)]
    >>> d = diff("It  is FINE", "it is fine", ignore_case=True,
    ...          ignore_whitespace=True)
    >>> d.changed, d.old, len(d.ignored)
    (False, 'It  is FINE', 2)

    .. versionadded:: 0.1.0
    """
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, str):
            msg = (
                f"{name} must be a str, got {type(value).__name__} "
                f"{value!r:.40}; decode bytes first"
            )
            raise InvalidRevisionError(msg)
    _check_choice("granularity", granularity, GRANULARITIES)
    _check_choice("cleanup", cleanup, CLEANUPS)
    if (
        isinstance(move_threshold, bool)
        or not isinstance(move_threshold, int | float)
        or not 0 <= move_threshold <= 1
    ):
        msg = (
            "move_threshold must be a number from 0 to 1, "
            f"got {move_threshold!r}"
        )
        raise InvalidRevisionError(msg)
    if deadline is not None and (
        isinstance(deadline, bool)
        or not isinstance(deadline, int | float)
        or not deadline > 0
    ):
        msg = f"deadline must be None or seconds above 0, got {deadline!r}"
        raise InvalidRevisionError(msg)
    differ = _Differ(
        granularity,
        cleanup,
        whitespace=bool(ignore_whitespace),
        case=bool(ignore_case),
        typography=bool(ignore_typography),
        deadline=deadline,
        budget=_Budget(_WORK_BASE + _WORK_PER_CHAR * (len(old) + len(new))),
    )
    edits = _build_edits(differ.run(old, new))
    moves: list[Move] = []
    if detect_moves:
        edits, moves = _find_moves(edits, differ, move_threshold)
    return Diff(tuple(edits), granularity, tuple(moves))
