"""Op, Edit, Diff and diff(): the one module that imports diff_match_patch."""

from __future__ import annotations

import enum
import functools

import attrs
from diff_match_patch import diff_match_patch

from .exceptions import InvalidRevisionError

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
    """
    A block deleted in one place and inserted in another.

    Attributes:
        id: The ``move`` id its two edits carry.
        source: The index in :attr:`Diff.edits` of the deletion.
        destination: The index in :attr:`Diff.edits` of the insertion.
        edits: The changes made inside the block while it moved, as a diff
            from the deleted text to the inserted text.

    >>> Move(1, source=0, destination=3).edits
    ()

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
        words_inserted: Words inserted.
        words_deleted: Words deleted.
        lines_inserted: Lines inserted.
        lines_deleted: Lines deleted.
        similarity: From 0 (nothing kept) to 1 (identical).
        distance: The edit distance in characters.

    >>> DiffStats(1, 0, 1, 0, 0, 0, similarity=0.9, distance=1).distance
    1

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


@functools.cache
def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    # No deadline: the same texts always give the same diff.
    dmp.Diff_Timeout = 0
    return dmp


_OPS = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}


def diff(old: str, new: str) -> Diff:
    """
    Compute the edits that turn *old* into *new*, character by character.

    >>> [(e.op.name, e.text) for e in diff("cat", "cut").edits]
    [('EQUAL', 'c'), ('DELETE', 'a'), ('INSERT', 'u'), ('EQUAL', 't')]

    Raises:
        InvalidRevisionError: If *old* or *new* is not a string.

    .. versionadded:: 0.1.0
    """
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, str):
            msg = f"{name} must be a str, got {type(value).__name__}"
            raise InvalidRevisionError(msg)
    raw = _engine().diff_main(old, new, False)  # noqa: FBT003
    return Diff(tuple(Edit(_OPS[op], text) for op, text in raw))
