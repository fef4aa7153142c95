"""
Patch: make, apply, invert and compose; diff-match-patch patch text and delta.

Maintainer's notes: hunk offsets count UTF-16 code units, the unit every
diff-match-patch port except Python's uses, so that the same patch text
applies identically in JavaScript, Java and C#. Internally the code works on
"unit strings": the text with each astral character replaced by its two
surrogates, so that ``len()`` and slicing count UTF-16 units; it converts back
at the edges. Formatting and parsing are written here (linear) rather than
taken from diff_match_patch, whose Python port counts code points and whose
``patch_fromText`` grows quadratically.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs

from ._diff import Diff, Edit, Op, diff
from ._diffjson import (
    PATCH_FORMAT,
    VERSION,
    check_keys,
    edit_to_json,
    edits_from_json,
    load_document,
    read_int,
    read_list,
    read_object,
)
from .exceptions import PatchConflictError, PatchError, PatchFormatError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ApplyResult",
    "Hunk",
    "HunkResult",
    "Patch",
    "format_delta",
    "make_patch",
    "parse_delta",
]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What diff-match-patch leaves unescaped: JavaScript's encodeURI set plus
# the space, so every port decodes the same text.
_SAFE = "!~*'();/?:@&=+$,# "


def _split_pair(match: re.Match[str]) -> str:
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _to_units(text: str) -> str:
    """Replace each astral character by its two surrogates."""
    if _ASTRAL.search(text) is None:
        return text
    return _ASTRAL.sub(_split_pair, text)


def _from_units(units: str) -> str:
    """Join surrogate pairs back; UnicodeError if one is left alone."""
    if _SURROGATE.search(units) is None:
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _units_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _merge(edits: Iterable[tuple[Op, str]]) -> tuple[Edit, ...]:
    """Join neighbouring edits of one kind and drop empty ones."""
    out: list[list[Any]] = []
    for op, text in edits:
        if not text:
            continue
        if out and out[-1][0] is op:
            out[-1][1].append(text)
        else:
            out.append([op, [text]])
    return tuple(Edit(op, "".join(parts)) for op, parts in out)


def _check_edits(edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    for i, edit in enumerate(edits):
        if not isinstance(edit, Edit) or edit.move is not None or edit.old:
            msg = (
                f"hunk edit {i} must be a plain Edit (no move, no old text),"
                f" got {edit!r}; build hunks with Patch.from_diff()"
            )
            raise PatchFormatError(msg)
    return tuple(edits)


@attrs.frozen
class Hunk:
    """
    One changed region of a text, with the unchanged context around it.

    Offsets count UTF-16 code units, as every diff-match-patch port but
    Python's does, so patches move between languages unchanged.

    Attributes:
        old_start: Where the hunk starts in the old text.
        new_start: Where it starts in the new text.
        edits: Context (``EQUAL``), deletions and insertions, in order.

    >>> h = Hunk(0, 0, (Edit(Op.EQUAL, "c"), Edit(Op.DELETE, "a"),
    ...                 Edit(Op.INSERT, "u")))
    >>> h.old_text, h.new_text, h.old_length
    ('ca', 'cu', 2)

    .. versionadded:: 0.1.0
    """

    old_start: int = attrs.field(validator=attrs.validators.ge(0))
    new_start: int = attrs.field(validator=attrs.validators.ge(0))
    edits: tuple[Edit, ...] = attrs.field(converter=_check_edits)
    # Old and new lengths in UTF-16 units, computed once.
    _sizes: tuple[int, int] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_sizes", _lengths(self.edits))

    @property
    def old_text(self) -> str:
        """The text the hunk expects, its context and deletions."""
        return "".join(e.text for e in self.edits if e.op is not Op.INSERT)

    @property
    def new_text(self) -> str:
        """The text the hunk leaves, its context and insertions."""
        return "".join(e.text for e in self.edits if e.op is not Op.DELETE)

    @property
    def old_length(self) -> int:
        """The length of :attr:`old_text` in UTF-16 code units."""
        return self._sizes[0]

    @property
    def new_length(self) -> int:
        """The length of :attr:`new_text` in UTF-16 code units."""
        return self._sizes[1]


def _lengths(edits: tuple[Edit, ...]) -> tuple[int, int]:
    """The old and new lengths of *edits* in UTF-16 code units."""
    old = new = 0
    for edit in edits:
        size = _units_len(edit.text)
        if edit.op is not Op.INSERT:
            old += size
        if edit.op is not Op.DELETE:
            new += size
    return old, new


def _check_hunks(hunks: tuple[Hunk, ...]) -> tuple[Hunk, ...]:
    old_end = 0
    shift = 0
    for i, hunk in enumerate(hunks):
        if not isinstance(hunk, Hunk):
            msg = f"hunk {i} must be a Hunk, got {hunk!r}"
            raise PatchFormatError(msg)
        if hunk.old_start < old_end:
            msg = (
                f"hunk {i} starts at {hunk.old_start}, inside or before the"
                f" hunk before it (which ends at {old_end}); hunks must be in"
                " order and must not overlap"
            )
            raise PatchFormatError(msg)
        if hunk.new_start != hunk.old_start + shift:
            msg = (
                f"hunk {i} starts at {hunk.old_start} in the old text, so it"
                f" must start at {hunk.old_start + shift} in the new text, got"
                f" {hunk.new_start}"
            )
            raise PatchFormatError(msg)
        old_length, new_length = hunk.old_length, hunk.new_length
        old_end = hunk.old_start + old_length
        shift += new_length - old_length
    return tuple(hunks)


@attrs.frozen
class HunkResult:
    """
    How one hunk fared when a patch was applied leniently.

    Attributes:
        index: The hunk's position in :attr:`Patch.hunks`, from 0.
        applied: Whether the hunk was applied.
        offset: How far (in UTF-16 code units) from where the patch
            expected it the hunk was applied; ``None`` if it was not.
        fuzz: How many characters of context were ignored to place it.

    >>> HunkResult(0, applied=True, offset=2).fuzz
    0

    .. versionadded:: 0.1.0
    """

    index: int
    applied: bool
    offset: int | None = None
    fuzz: int = 0


@attrs.frozen
class ApplyResult:
    """
    The text a lenient :meth:`Patch.apply_fuzzy` produced, and how.

    Attributes:
        text: The patched text, with the hunks that could be placed.
        hunks: One report per hunk, in order.

    >>> r = make_patch("cat", "cut").apply_fuzzy("the cat")
    >>> r.text, r.applied
    ('the cut', True)

    .. versionadded:: 0.1.0
    """

    text: str
    hunks: tuple[HunkResult, ...]

    @property
    def applied(self) -> bool:
        """Whether every hunk was applied."""
        return all(h.applied for h in self.hunks)

    @property
    def failed(self) -> tuple[int, ...]:
        """The indexes of the hunks that were not applied."""
        return tuple(h.index for h in self.hunks if not h.applied)


def _find_nearest(units: str, pattern: str, start: int, expected: int) -> int:
    """Return the match of *pattern* at or after *start* nearest *expected*."""
    expected = max(expected, start)
    after = units.find(pattern, expected)
    before = units.rfind(pattern, start, expected + len(pattern) - 1)
    if before == -1:
        return after
    if after == -1 or expected - before <= after - expected:
        return before
    return after


@attrs.frozen
class Patch:
    """
    Hunks that turn one text into another, each with its own context.

    Build one with :meth:`from_diff` or :func:`make_patch`; read one with
    :meth:`parse`.

    Attributes:
        hunks: The changed regions, in order, not overlapping.

    >>> p = make_patch("The cat sat.", "The dog sat.")
    >>> p.apply("The cat sat.")
    'The dog sat.'
    >>> p.invert().apply("The dog sat.")
    'The cat sat.'

    .. versionadded:: 0.1.0
    """

    hunks: tuple[Hunk, ...] = attrs.field(converter=_check_hunks)

    @classmethod
    def from_diff(cls, diff: Diff, *, context: int = 4) -> Patch:
        """
        Make a patch from a diff, keeping *context* characters around edits.

        Moves become a deletion and an insertion; an equal run whose old text
        differs in an ignored way (``Edit.old``) becomes a replacement, so the
        patch rebuilds the new text exactly.

        Args:
            diff: The diff to turn into hunks.
            context: Characters of unchanged text to keep on each side of a
                change; changes at most twice this apart share a hunk.

        Raises:
            PatchError: If *context* is negative.

        >>> [h.old_text for h in Patch.from_diff(diff("cat", "cut")).hunks]
        ['cat']

        .. versionadded:: 0.1.0
        """
        if not isinstance(context, int) or context < 0:
            msg = f"context must be an int >= 0, got {context!r}"
            raise PatchError(msg)
        flat: list[tuple[Op, str]] = []
        for edit in diff.edits:
            if edit.op is Op.EQUAL and edit.old not in {None, edit.text}:
                flat += [(Op.DELETE, edit.old_text), (Op.INSERT, edit.text)]
                continue
            flat.append((edit.op, edit.text))
        hunks: list[Hunk] = []
        body: list[tuple[Op, str]] = []
        old_pos = new_pos = 0
        start: tuple[int, int] | None = None
        pending: list[str] = []

        def close(trail: str) -> None:
            assert start is not None  # noqa: S101
            body.append((Op.EQUAL, trail))
            hunks.append(Hunk(start[0], start[1], _merge(body)))
            body.clear()

        for op, text in flat:
            if op is Op.EQUAL:
                pending.append(text)
                size = _units_len(text)
                old_pos += size
                new_pos += size
                continue
            if pending or start is None:
                run = "".join(pending)
                pending.clear()
                if start is not None and len(run) <= 2 * context:
                    body.append((Op.EQUAL, run))
                else:
                    if start is not None:
                        close(run[:context])
                    lead = run[max(0, len(run) - context) :] if context else ""
                    size = _units_len(lead)
                    start = (old_pos - size, new_pos - size)
                    body.append((Op.EQUAL, lead))
            body.append((op, text))
            size = _units_len(text)
            if op is Op.DELETE:
                old_pos += size
            else:
                new_pos += size
        if start is not None:
            close("".join(pending)[:context])
        return cls(tuple(hunks))

    @overload
    def apply(self, text: str, *, fuzzy: Literal[False] = False) -> str: ...

    @overload
    def apply(self, text: str, *, fuzzy: Literal[True]) -> ApplyResult: ...

    def apply(self, text: str, *, fuzzy: bool = False) -> str | ApplyResult:
        """
        Apply the patch to *text*, every hunk exactly where it belongs.

        Args:
            text: The old text.
            fuzzy: If true, behave as :meth:`apply_fuzzy` instead and return
                its :class:`ApplyResult`.

        Returns:
            The new text.

        Raises:
            PatchConflictError: If any hunk's context and deletions are not
                found at its place; ``.failed`` lists them all, and nothing
                is returned.

        >>> make_patch("a b c", "a B c").apply("a b c")
        'a B c'

        .. versionadded:: 0.1.0
        """
        if fuzzy:
            return self.apply_fuzzy(text)
        _require_str(text)
        units = _to_units(text)
        failed = []
        pieces = []
        cursor = 0
        for i, hunk in enumerate(self.hunks):
            old = _to_units(hunk.old_text)
            start = hunk.old_start
            if units[start : start + len(old)] != old or start > len(units):
                failed.append(i)
                continue
            pieces += [units[cursor:start], _to_units(hunk.new_text)]
            cursor = start + len(old)
        if failed:
            msg = (
                f"{len(failed)} of {len(self.hunks)} hunks did not match the"
                f" text at their place: hunks {failed} (from 0); check that"
                " this is the text the patch was made from, or use"
                " apply_fuzzy()"
            )
            raise PatchConflictError(msg, failed=tuple(failed))
        pieces.append(units[cursor:])
        return _join_units(pieces, self.hunks)

    def apply_fuzzy(self, text: str) -> ApplyResult:
        """
        Apply what can be applied, placing hunks where their text is found.

        Each hunk is looked for nearest the place the patch expects it (after
        allowing for how far the previous hunk moved), first with all its
        context, then with half, then with none. Hunks that cannot be placed
        are skipped and reported.

        Args:
            text: A text like the one the patch was made from.

        Returns:
            The patched text and a :class:`HunkResult` per hunk.

        >>> r = make_patch("one two", "one 2").apply_fuzzy("zero one two")
        >>> r.text, r.hunks[0].offset
        ('zero one 2', 5)

        .. versionadded:: 0.1.0
        """
        _require_str(text)
        units = _to_units(text)
        results = []
        pieces = []
        cursor = 0
        drift = 0
        for i, hunk in enumerate(self.hunks):
            placed = _place(units, hunk, cursor, hunk.old_start + drift)
            if placed is None:
                results.append(HunkResult(i, applied=False))
                continue
            nominal, start, end, new, fuzz = placed
            pieces += [units[cursor:start], new]
            drift = nominal - hunk.old_start
            results.append(
                HunkResult(i, applied=True, offset=drift, fuzz=fuzz)
            )
            cursor = end
        pieces.append(units[cursor:])
        try:
            out = _from_units("".join(pieces))
        except UnicodeError:
            # A hunk placed inside a surrogate pair: keep the text whole.
            return ApplyResult(
                text,
                tuple(HunkResult(r.index, applied=False) for r in results),
            )
        return ApplyResult(out, tuple(results))

    def invert(self) -> Patch:
        """
        Return the patch that undoes this one.

        >>> p = make_patch("cat", "cut")
        >>> p.invert().invert() == p
        True

        .. versionadded:: 0.1.0
        """
        swap = {Op.INSERT: Op.DELETE, Op.DELETE: Op.INSERT, Op.EQUAL: Op.EQUAL}
        return Patch(
            tuple(
                Hunk(
                    h.new_start,
                    h.old_start,
                    tuple(Edit(swap[e.op], e.text) for e in h.edits),
                )
                for h in self.hunks
            )
        )

    def then(self, other: Patch) -> Patch:
        """
        Compose this patch (a to b) with *other* (b to c) into one, a to c.

        Neither text is needed: every hunk carries the text around it.
        Where a hunk of *other* covers text this patch left alone, that text
        is the same in a and b; where it covers text this patch wrote, the
        two must agree.

        Args:
            other: A patch of the text this patch produces.

        Returns:
            A patch whose ``apply(a)`` equals ``other.apply(self.apply(a))``.

        Raises:
            PatchConflictError: If *other* expects text this patch did not
                produce; ``.failed`` lists *other*'s hunks that disagree.

        >>> p = make_patch("the cat", "the cut")
        >>> q = make_patch("the cut", "a cut")
        >>> p.then(q).apply("the cat")
        'a cut'

        .. versionadded:: 0.1.0
        """
        if not isinstance(other, Patch):
            msg = f"expected a Patch, got {type(other).__name__}"
            raise PatchError(msg)
        return _compose(self, other)

    def format(self, format: str = "dmp") -> str:  # noqa: A002
        """
        Write the patch as text; :meth:`parse` reads it back.

        Args:
            format: ``"dmp"`` for diff-match-patch patch text (offsets in
                UTF-16 code units, as the JavaScript, Java and C# ports read
                them) or ``"json"`` for the ``revtrack.patch`` JSON format.

        Raises:
            PatchError: If *format* is not one of those.

        >>> p = make_patch("the cat", "the cut", granularity="char")
        >>> print(p.format("dmp"), end="")
        @@ -2,6 +2,6 @@
         he c
        -a
        +u
         t

        .. versionadded:: 0.1.0
        """
        if format == "dmp":
            return "".join(_format_dmp_hunk(h) for h in self.hunks)
        if format == "json":
            return json.dumps(
                {
                    "format": PATCH_FORMAT,
                    "version": VERSION,
                    "units": "utf-16",
                    "hunks": [
                        {
                            "old_start": h.old_start,
                            "new_start": h.new_start,
                            "edits": [edit_to_json(e) for e in h.edits],
                        }
                        for h in self.hunks
                    ],
                },
                ensure_ascii=False,  # pragma: no mutate (None is as false)
            )
        msg = f"format must be 'dmp' or 'json', got {format!r}"
        raise PatchError(msg)

    @classmethod
    def parse(cls, text: str, *, format: str = "dmp") -> Patch:  # noqa: A002
        r"""
        Read a patch written by :meth:`format` or by diff-match-patch.

        Args:
            text: The patch text.
            format: ``"dmp"`` or ``"json"``, as for :meth:`format`.

        Raises:
            PatchFormatError: If *text* is not a patch in that format; the
                message names the line (dmp) or JSON path and offset.

        >>> Patch.parse("@@ -1,3 +1,3 @@\n c\n-a\n+u\n t\n").apply("cat")
        'cut'

        .. versionadded:: 0.1.0
        """
        if format == "dmp":
            if not isinstance(text, str):
                msg = f"expected patch text as str, got {type(text).__name__}"
                raise PatchFormatError(msg)
            return _parse_dmp(text)
        if format == "json":
            return _parse_json(text)
        msg = f"format must be 'dmp' or 'json', got {format!r}"
        raise PatchFormatError(msg)


def _require_str(text: object) -> None:
    if not isinstance(text, str):
        msg = f"can only patch a str, got {type(text).__name__}"
        raise PatchError(msg)


def _join_units(pieces: list[str], hunks: tuple[Hunk, ...]) -> str:
    try:
        return _from_units("".join(pieces))
    except UnicodeError as exc:
        msg = "a hunk falls inside a surrogate pair of the text"
        raise PatchConflictError(msg, failed=tuple(range(len(hunks)))) from exc


def _place(
    units: str, hunk: Hunk, cursor: int, expected: int
) -> tuple[int, int, int, str, int] | None:
    """Find *hunk*: (nominal start, start, end, replacement, fuzz)."""
    edits = list(hunk.edits)
    lead = edits[0].text if edits and edits[0].op is Op.EQUAL else ""
    trail = (
        edits[-1].text if len(edits) > 1 and edits[-1].op is Op.EQUAL else ""
    )
    body_edits = edits[(1 if lead else 0) : len(edits) - (1 if trail else 0)]
    old_body = _to_units(
        "".join(e.text for e in body_edits if e.op is not Op.INSERT)
    )
    new_body = _to_units(
        "".join(e.text for e in body_edits if e.op is not Op.DELETE)
    )
    lead_u, trail_u = _to_units(lead), _to_units(trail)
    # Whole context, then half, then none; each distinct level once.
    for keep_lead, keep_trail in dict.fromkeys(
        (
            (len(lead_u), len(trail_u)),
            (len(lead_u) // 2, len(trail_u) // 2),
            (0, 0),
        )
    ):
        cut = len(lead_u) - keep_lead
        before = lead_u[len(lead_u) - keep_lead :]
        after = trail_u[:keep_trail]
        pattern = before + old_body + after
        if not pattern:
            at = min(max(expected + cut, cursor), len(units))
        else:
            at = _find_nearest(units, pattern, cursor, expected + cut)
        if at != -1:
            return (
                at - cut,
                at,
                at + len(pattern),
                before + new_body + after,
                cut + len(trail_u) - keep_trail,
            )
    return None


def _compose(first: Patch, second: Patch) -> Patch:
    """Compose *first* (a to b) and *second* (b to c); see Patch.then."""
    spans: list[tuple[int, int, int, int]] = []  # start, end, which, index
    p_units = [
        (_to_units(h.old_text), _to_units(h.new_text)) for h in first.hunks
    ]
    q_units = [
        (_to_units(h.old_text), _to_units(h.new_text)) for h in second.hunks
    ]
    for i, h in enumerate(first.hunks):
        spans.append((h.new_start, h.new_start + len(p_units[i][1]), 0, i))
    for i, h in enumerate(second.hunks):
        spans.append((h.old_start, h.old_start + len(q_units[i][0]), 1, i))
    spans.sort()
    groups: list[list[tuple[int, int, int, int]]] = []
    # Never read: the first span starts a group and sets it.
    end = -1  # pragma: no mutate
    for span in spans:
        if groups and span[0] <= end:
            groups[-1].append(span)
            end = max(end, span[1])
        else:
            groups.append([span])
            end = span[1]
    hunks = []
    p_shift = q_shift = 0  # new minus old length of hunks in earlier groups
    conflicts = []
    for group in groups:
        low = group[0][0]
        high = max(s[1] for s in group)
        # Spans of a group leave no gaps, so every slot gets a character
        # (a longer list would only add unused slots): no mutate below.
        known: list[str | None] = [None] * (high - low)  # pragma: no mutate
        for start, _, which, i in group:
            if which == 0:
                known[start - low : start - low + len(p_units[i][1])] = list(
                    p_units[i][1]
                )
        for start, _, which, i in group:
            if which == 1:
                for k, char in enumerate(q_units[i][0]):
                    seen = known[start - low + k]
                    if seen is None:
                        known[start - low + k] = char
                    elif seen != char:
                        conflicts.append(i)
                        break
        b = "".join(c or "" for c in known)  # pragma: no mutate
        a_parts, c_parts = [], []
        a_cur = c_cur = 0  # pragma: no mutate (b[None:] is b[0:])
        for start, stop, which, i in group:
            old, new = (p_units if which == 0 else q_units)[i]
            if which == 0:
                a_parts += [b[a_cur : start - low], old]
                a_cur = stop - low
            else:
                c_parts += [b[c_cur : start - low], new]
                c_cur = stop - low
        a_parts.append(b[a_cur:])
        c_parts.append(b[c_cur:])
        a_text, c_text = "".join(a_parts), "".join(c_parts)
        a_start, c_start = low - p_shift, low + q_shift
        for _, _, which, i in group:
            old, new = (p_units if which == 0 else q_units)[i]
            if which == 0:
                p_shift += len(new) - len(old)
            else:
                q_shift += len(new) - len(old)
        if a_text != c_text:
            hunks.append((a_start, c_start, a_text, c_text))
    if conflicts:
        msg = (
            f"hunks {sorted(set(conflicts))} (from 0) of the second patch"
            " expect text the first patch does not"  # pragma: no mutate
            " produce; compose a patch with one made"  # pragma: no mutate
            " from the first patch's result"  # pragma: no mutate
        )
        raise PatchConflictError(msg, failed=tuple(sorted(set(conflicts))))
    try:
        return Patch(tuple(_replacement_hunk(*h) for h in hunks))
    except UnicodeError as exc:
        msg = "the patches split a surrogate pair between them"
        raise PatchConflictError(msg, failed=()) from exc


def _replacement_hunk(
    old_start: int, new_start: int, old_units: str, new_units: str
) -> Hunk:
    """Replace *old_units* by *new_units*, keeping their common ends."""
    limit = min(len(old_units), len(new_units))
    head = 0
    while head < limit and old_units[head] == new_units[head]:
        head += 1
    tail = 0
    while (
        tail < limit - head
        and old_units[len(old_units) - 1 - tail]
        == new_units[len(new_units) - 1 - tail]
    ):
        tail += 1
    # Keep surrogate pairs whole at the cut points.
    if head and 0xD800 <= ord(old_units[head - 1]) <= 0xDBFF:  # noqa: PLR2004
        head -= 1
    if tail and 0xDC00 <= ord(old_units[-tail]) <= 0xDFFF:  # noqa: PLR2004
        tail -= 1
    parts = [
        (Op.EQUAL, old_units[:head]),
        (Op.DELETE, old_units[head : len(old_units) - tail]),
        (Op.INSERT, new_units[head : len(new_units) - tail]),
        (Op.EQUAL, old_units[len(old_units) - tail :]),
    ]
    return Hunk(
        old_start,
        new_start,
        _merge((op, _from_units(text)) for op, text in parts),
    )


def make_patch(
    old: str,
    new: str,
    *,
    context: int = 4,
    **options: Any,  # noqa: ANN401 (diff's options)
) -> Patch:
    """
    Make the patch that turns *old* into *new*.

    Args:
        old: The old text.
        new: The new text.
        context: Characters of context around each change, as for
            :meth:`Patch.from_diff`.
        **options: Passed on to :func:`revtrack.diff`.

    >>> make_patch("the cat", "the cut").apply("the cat")
    'the cut'

    .. versionadded:: 0.1.0
    """
    return Patch.from_diff(diff(old, new, **options), context=context)


def _coords(start: int, length: int) -> str:
    if length == 0:
        return f"{start},0"
    if length == 1:
        return str(start + 1)
    return f"{start + 1},{length}"


_SIGNS = {Op.EQUAL: " ", Op.DELETE: "-", Op.INSERT: "+"}


def _format_dmp_hunk(hunk: Hunk) -> str:
    old_length, new_length = hunk.old_length, hunk.new_length
    head = (
        f"@@ -{_coords(hunk.old_start, old_length)}"
        f" +{_coords(hunk.new_start, new_length)} @@\n"
    )
    return head + "".join(
        f"{_SIGNS[e.op]}{urllib.parse.quote(e.text, _SAFE)}\n"
        for e in hunk.edits
    )


_HEADER = re.compile(
    r"@@ -([0-9]{1,15})(?:,([0-9]{1,15}))?"
    r" \+([0-9]{1,15})(?:,([0-9]{1,15}))? @@\Z"
)
_FROM_SIGN = {" ": Op.EQUAL, "-": Op.DELETE, "+": Op.INSERT}
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# How much of a bad line or delta token an error message quotes.
_QUOTED_LINE = 80
_QUOTED_TOKEN = 20


def _read_coords(start: str, length: str | None) -> tuple[int, int]:
    if length is None:
        return int(start) - 1, 1
    if length == "0":
        return int(start), 0
    return int(start) - 1, int(length)


def _decode_line(body: str, where: str) -> str:
    """Decode the %XX escapes of *body*; errors start with *where*."""
    if "%" not in body:
        if not body.isascii() and _SURROGATE.search(body):
            msg = f"{where}: holds a lone surrogate; text must be Unicode"
            raise PatchFormatError(msg)
        return body
    bad = _ESCAPE.search(body)
    if bad:
        msg = (
            f"{where}: '%' at column {bad.start() + 2} does not start"
            f" a %XX escape; write '%25' for a percent sign"
        )
        raise PatchFormatError(msg)
    try:
        text = urllib.parse.unquote(body, errors="strict")
    except UnicodeDecodeError as exc:
        msg = f"{where}: its %XX escapes are not UTF-8 ({exc.reason})"
        raise PatchFormatError(msg) from exc
    if _SURROGATE.search(text):
        msg = f"{where}: holds a lone surrogate; text must be Unicode"
        raise PatchFormatError(msg)
    return text


def _add_dmp_hunk(
    hunks: list[Hunk],
    hunk: Hunk,
    line: int,
) -> None:
    """
    Place a parsed hunk after *hunks*, by its new start, as every port does.

    diff-match-patch writes each hunk's starts as positions in the text with
    the hunks before it applied (so its old start equals its new start),
    revtrack the position in the old text; both agree on the new start. A
    hunk whose context reaches back into the one before (diff-match-patch
    grows context until it is unique) is composed with it.
    """
    old_start, start, edits = hunk.old_start, hunk.new_start, hunk.edits
    if hunks:
        last = hunks[-1]
        shift = last.new_start - last.old_start + last.new_length
        shift -= last.old_length
        end = last.new_start + last.new_length
    else:
        shift = end = 0
    if start >= end:
        if old_start not in {start - shift, start}:
            msg = (
                f"line {line}: the old start {old_start + 1} fits"
                f" neither the old text ({start - shift + 1}) nor the text"
                f" patched so far ({start + 1})"
            )
            raise PatchFormatError(msg)
        if old_start != start - shift:
            hunk = Hunk(start - shift, start, edits)
        hunks.append(hunk)
        return
    popped: list[Hunk] = []
    while hunks and hunks[-1].new_start + hunks[-1].new_length > start:
        popped.insert(0, hunks.pop())
    base = popped[0].new_start - popped[0].old_start
    before = Patch(
        tuple(Hunk(h.old_start, h.new_start - base, h.edits) for h in popped)
    )
    after = Patch((Hunk(start - base, start - base, edits),))
    try:
        joined = before.then(after)
    except PatchConflictError as exc:
        msg = (
            f"line {line}: the hunk overlaps the hunks before it and"
            " disagrees with what they wrote"  # pragma: no mutate
        )
        raise PatchFormatError(msg) from exc
    hunks += [
        Hunk(h.old_start, h.new_start + base, h.edits) for h in joined.hunks
    ]


def _parse_dmp(text: str) -> Patch:
    hunks: list[Hunk] = []
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    current: tuple[int, int, int, int, int] | None = None
    edits: list[Edit] = []

    def finish() -> None:
        assert current is not None  # noqa: S101
        old_start, old_len, new_start, new_len, line = current
        if all(
            edits[i].text and edits[i].op is not edits[i - 1].op
            for i in range(1, len(edits))
        ) and (not edits or edits[0].text):
            merged = tuple(edits)
        else:
            merged = _merge((e.op, e.text) for e in edits)
        hunk = Hunk(old_start, new_start, merged)
        lengths = (hunk.old_length, hunk.new_length)
        if lengths != (old_len, new_len):
            msg = (
                f"line {line}: the header promises {old_len} old and"
                f" {new_len} new UTF-16 units, the hunk holds"
                f" {lengths[0]} and {lengths[1]}"
            )
            raise PatchFormatError(msg)
        _add_dmp_hunk(hunks, hunk, line)
        edits.clear()

    for number, line in enumerate(lines, start=1):
        if not line:
            continue  # diff-match-patch skips blank lines too
        if line.startswith("@"):
            if current is not None:
                finish()
            match = _HEADER.match(line)
            if match is None:
                msg = (
                    f"line {number}: expected a hunk header like"
                    f" '@@ -1,5 +1,6 @@', got {line[:_QUOTED_LINE]!r}"
                )
                raise PatchFormatError(msg)
            old = _read_coords(match[1], match[2])
            new = _read_coords(match[3], match[4])
            if min(old[0], new[0]) < 0:
                msg = f"line {number}: a start of 0 needs a length of 0"
                raise PatchFormatError(msg)
            current = (old[0], old[1], new[0], new[1], number)
            continue
        op = _FROM_SIGN.get(line[:1])
        if current is None or op is None:
            msg = (
                f"line {number}: expected "
                + ("a hunk header" if current is None else "' ', '-' or '+'")
                + f" at the start of the line, got {line[:_QUOTED_LINE]!r}"
            )
            raise PatchFormatError(msg)
        edits.append(Edit(op, _decode_line(line[1:], f"line {number}")))
    if current is not None:
        finish()
    return Patch(tuple(hunks))


_PATCH_KEYS = frozenset({"format", "version", "units", "hunks"})
_HUNK_KEYS = frozenset({"old_start", "new_start", "edits"})


def _parse_json(text: str) -> Patch:
    doc = load_document(text, format_name=PATCH_FORMAT, error=PatchFormatError)
    check_keys(doc, "$", required=_PATCH_KEYS, error=PatchFormatError)
    if doc["units"] != "utf-16":
        msg = f"at $.units: expected 'utf-16', got {doc['units']!r}"
        raise PatchFormatError(msg)
    hunks = []
    for i, item in enumerate(
        read_list(doc["hunks"], "$.hunks", PatchFormatError)
    ):
        here = f"$.hunks[{i}]"
        obj = read_object(item, here, PatchFormatError)
        check_keys(obj, here, required=_HUNK_KEYS, error=PatchFormatError)
        hunks.append(
            Hunk(
                read_int(
                    obj["old_start"], f"{here}.old_start", PatchFormatError
                ),
                read_int(
                    obj["new_start"], f"{here}.new_start", PatchFormatError
                ),
                edits_from_json(
                    obj["edits"],
                    f"{here}.edits",
                    PatchFormatError,
                    extras=False,
                ),
            )
        )
    try:
        return Patch(tuple(hunks))
    except PatchFormatError as exc:
        msg = f"at $.hunks: {exc}"
        raise PatchFormatError(msg) from exc


def format_delta(diff: Diff) -> str:
    r"""
    Write a diff as a diff-match-patch delta, counted in UTF-16 code units.

    ``=n`` keeps and ``-n`` deletes *n* units of the old text, ``+text``
    inserts (``%XX``-escaped); tab separates them. Like every
    diff-match-patch port, the counts are UTF-16 code units.

    >>> format_delta(diff("cat", "cut", granularity="char"))
    '=1\t-1\t+u\t=1'

    .. versionadded:: 0.1.0
    """
    out = []
    for edit in diff.edits:
        old = edit.old_text
        if edit.op is Op.EQUAL and old == edit.text:
            out.append(f"={_units_len(old)}")
            continue
        if old:
            out.append(f"-{_units_len(old)}")
        if edit.new_text:
            out.append("+" + urllib.parse.quote(edit.new_text, _SAFE))
    return "\t".join(out)


def parse_delta(old: str, delta: str) -> Diff:
    r"""
    Read a diff-match-patch delta back into a character diff of *old*.

    Args:
        old: The old text the delta was made from.
        delta: The delta, as :func:`format_delta` writes it.

    Raises:
        PatchFormatError: If *delta* is malformed or does not fit *old*;
            the message names the token and its offset in *delta*.

    >>> parse_delta("cat", "=1\t-1\t+u\t=1").new
    'cut'

    .. versionadded:: 0.1.0
    """
    for name, value in (("old", old), ("delta", delta)):
        if not isinstance(value, str):
            msg = f"{name} must be a str, got {type(value).__name__}"
            raise PatchFormatError(msg)
    units = _to_units(old)
    pos = 0
    offset = 0
    edits: list[tuple[Op, str]] = []
    for token in delta.split("\t"):
        where = f"token {token[:_QUOTED_TOKEN]!r} at offset {offset}"
        offset += len(token) + 1
        if not token:
            continue
        sign, body = token[0], token[1:]
        if sign == "+":
            edits.append((Op.INSERT, _decode_line(body, where)))
            continue
        # int() refuses more than 4300 digits; no text is that long.
        if (
            sign not in "=-"
            or not body.isdigit()
            or not body.isascii()
            or len(body) > 18  # noqa: PLR2004
        ):
            msg = f"{where}: expected '=n', '-n' or '+text'"
            raise PatchFormatError(msg)
        count = int(body)
        if pos + count > len(units):
            msg = (
                f"{where}: goes past the end of the old text"
                f" ({len(units)} UTF-16 units)"
            )
            raise PatchFormatError(msg)
        try:
            piece = _from_units(units[pos : pos + count])
        except UnicodeError as exc:
            msg = f"{where}: splits a surrogate pair of the old text"
            raise PatchFormatError(msg) from exc
        edits.append((Op.EQUAL if sign == "=" else Op.DELETE, piece))
        pos += count
    if pos != len(units):
        msg = (
            f"the delta covers {pos} UTF-16 units of the old text, which has"
            f" {len(units)}; was it made from another text?"
        )
        raise PatchFormatError(msg)
    return Diff(_merge(edits))
