"""
Revision, UpdateType and Document: the chain and its public history.

Maintainer's notes: a Document keeps its revisions in a list and, beside
it, each revision's instant as integer microseconds since the epoch, so
appending is O(1) and ``at()`` is a binary search. When a document accepts
time going backwards, ``at()`` answers from a sorted copy with a running
maximum of revision numbers, rebuilt lazily after an append.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

import attrs

from ._diff import Diff, diff
from ._history import (
    DISPLAY_ZONE,
    FIRST_PUBLISHED,
    Change,
    render_history_html,
    render_history_text,
)
from ._time import (
    canonical_json,
    epoch_micros,
    format_timestamp,
    parse_timestamp,
    zone_name,
)
from .exceptions import (
    ChronologyError,
    FormatError,
    IntegrityError,
    InvalidRevisionError,
    RevisionNotFoundError,
)

if TYPE_CHECKING:
    from typing import Self

    import pendulum

    from ._blame import BlameSpan
    from ._classify import Finding

__all__ = [
    "Document",
    "Revision",
    "Revisions",
    "UpdateType",
    "next_revision",
    "thaw",
    "verify_revision",
]

TimeLike = str | dt.datetime | dt.date
"""What a time argument accepts: see :func:`revtrack.parse_timestamp`."""


class UpdateType(enum.Enum):
    """
    How an update reaches the public history, following GOV.UK.

    Only ``MAJOR`` updates carry a public change note and move "Last
    updated". ``MINOR`` fixes (typos, formatting) and ``REPUBLISH`` (the
    same content sent out again) stay out of the footer.

    >>> UpdateType("minor")
    <UpdateType.MINOR: 'minor'>

    .. versionadded:: 0.1.0
    """

    MAJOR = "major"
    MINOR = "minor"
    REPUBLISH = "republish"


_SCALARS = (str, int, float, bool, type(None))


class FrozenMap(Mapping[str, Any]):
    """
    A read-only, hashable mapping: how revisions hold their meta.

    >>> meta = FrozenMap({"source": "git"})
    >>> meta["source"], meta == {"source": "git"}
    ('git', True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:  # noqa: ANN401
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return (FrozenMap, (self._data,))


def _utf8(name: str, value: str) -> None:
    """Refuse a lone surrogate: digests hash text as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        msg = (
            f"{name} must be encodable as UTF-8, but holds a lone surrogate "
            f"at offset {exc.start}"
        )
        raise InvalidRevisionError(msg) from exc


def _freeze(value: object, path: str) -> Any:  # noqa: ANN401
    """Copy JSON-able *value* into read-only mappings and tuples."""
    if isinstance(value, str):
        _utf8(f"meta{path}", value)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"meta{path} must be a finite number, got {value!r}"
        raise InvalidRevisionError(msg)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        frozen = {}
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"meta{path} keys must be str, got {key!r}"
                raise InvalidRevisionError(msg)
            _utf8(f"meta{path} key", key)
            frozen[key] = _freeze(item, f"{path}[{key!r}]")
        return FrozenMap(frozen)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, f"{path}[{i}]") for i, v in enumerate(value))
    msg = (
        f"meta{path} must hold JSON values (str, int, float, bool, None, "
        f"lists and dicts), got {type(value).__name__}: {value!r}"
    )
    raise InvalidRevisionError(msg)


def thaw(value: Any) -> Any:  # noqa: ANN401
    """
    Turn read-only meta back into plain dicts and lists.

    >>> thaw(Revision.create(1, "x", at="2019-07-31T10:00Z",
    ...                      meta={"tags": ["a"]}).meta)
    {'tags': ['a']}
    """
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


def _meta(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if value is None:
        return FrozenMap({})
    if not isinstance(value, Mapping):
        msg = f"meta must be a mapping, got {type(value).__name__}"
        raise InvalidRevisionError(msg)
    frozen: Mapping[str, Any] = _freeze(value, "")
    return frozen


def _aware(value: object) -> pendulum.DateTime:
    if isinstance(value, str | dt.datetime | dt.date):
        try:
            return parse_timestamp(value)
        except FormatError as exc:
            raise InvalidRevisionError(str(exc)) from exc
    msg = f"at must be an aware datetime, got {type(value).__name__}"
    raise InvalidRevisionError(msg)


def _text(value: object) -> str:
    if not isinstance(value, str):
        msg = (
            f"text must be a str, got {type(value).__name__}; decode bytes "
            f"first (text.decode('utf-8'))"
        )
        raise InvalidRevisionError(msg)
    _utf8("text", value)
    return value


def _optional_str(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    name = attribute.name
    if value is not None and not isinstance(value, str):
        msg = f"{name} must be a str or None, got {type(value).__name__}"
        raise InvalidRevisionError(msg)
    if value is not None:
        _utf8(name, value)


def _number(_: object, __: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        msg = f"number must be an int from 1, got {value!r}"
        raise InvalidRevisionError(msg)


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _hex_digest(
    _: object, attribute: attrs.Attribute[str], value: object
) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        msg = (
            f"{attribute.name} must be 64 lowercase hex digits, got {value!r}"
        )
        raise InvalidRevisionError(msg)


def _update_type(value: object) -> UpdateType:
    try:
        return UpdateType(value)
    except ValueError as exc:
        allowed = ", ".join(repr(u.value) for u in UpdateType)
        msg = f"update_type must be one of {allowed}, got {value!r}"
        raise InvalidRevisionError(msg) from exc


def _instant_key(when: pendulum.DateTime) -> tuple[str, str | None]:
    """Compare times by instant, offset and zone, so a lost zone shows."""
    return format_timestamp(when), zone_name(when)


def text_digest(text: str) -> str:
    """Return the hex SHA-256 of *text* as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class Revision:
    """
    One saved state of a document.

    Build one with :meth:`create`, or let :meth:`Document.publish` and
    :meth:`Document.update` do it; the plain constructor takes every field
    as stored, digests included, and checks types but not digests.

    Attributes:
        number: Its position in the chain, from 1.
        text: The full text of the document at this revision.
        at: When it was made: aware, in the zone it was given.
        update_type: Major updates reach the public history; minor and
            republish updates do not.
        note: The public change note of a major update.
        author: Who made it, if known.
        meta: Read-only JSON-able extra data (nested lists are tuples).
        digest: Hex SHA-256 of the UTF-8 text.
        chain_digest: Hex SHA-256 over the previous revision's chain digest
            and this revision's digest and metadata.

    >>> r = Revision.create(1, "Hello", at="2019-07-31T10:00+01:00",
    ...                     note="First published.")
    >>> r.number, r.digest[:12], r.at.isoformat()
    (1, '185f8db32271', '2019-07-31T10:00:00+01:00')

    .. versionadded:: 0.1.0
    """

    number: int = attrs.field(validator=_number)
    text: str = attrs.field(converter=_text, repr=False)
    at: pendulum.DateTime = attrs.field(converter=_aware, eq=_instant_key)
    update_type: UpdateType = attrs.field(converter=_update_type)
    note: str | None = attrs.field(validator=_optional_str)
    author: str | None = attrs.field(validator=_optional_str)
    meta: Mapping[str, Any] = attrs.field(converter=_meta)
    digest: str = attrs.field(validator=_hex_digest)
    chain_digest: str = attrs.field(validator=_hex_digest)

    @classmethod
    def create(
        cls,
        number: int,
        text: str,
        *,
        at: TimeLike,
        update_type: UpdateType | str = UpdateType.MAJOR,
        note: str | None = None,
        author: str | None = None,
        meta: Mapping[str, Any] | None = None,
        parent_chain_digest: str | None = None,
    ) -> Revision:
        """
        Make a revision, computing its digest and chain digest.

        >>> one = Revision.create(1, "a", at="2019-07-31T10:00Z")
        >>> two = Revision.create(2, "b", at="2019-08-01T10:00Z",
        ...                       parent_chain_digest=one.chain_digest)
        >>> two.chain_digest == two.compute_chain_digest(one.chain_digest)
        True

        Raises:
            InvalidRevisionError: If a value has the wrong type or form.
        """
        text = _text(text)
        zero = "0" * 64
        draft = cls(
            number,
            text,
            at,
            update_type,
            note,
            author,
            meta,
            text_digest(text),
            zero,
        )
        return attrs.evolve(
            draft, chain_digest=draft.compute_chain_digest(parent_chain_digest)
        )

    def compute_chain_digest(self, parent_chain_digest: str | None) -> str:
        """
        Return the chain digest this revision should have after *parent*.

        >>> r = Revision.create(1, "a", at="2019-07-31T10:00Z")
        >>> r.compute_chain_digest(None) == r.chain_digest
        True
        """
        payload = {
            "parent": parent_chain_digest or "",
            "number": self.number,
            "digest": self.digest,
            "at": format_timestamp(self.at),
            "zone": zone_name(self.at),
            "update_type": self.update_type.value,
            "note": self.note,
            "author": self.author,
            "meta": thaw(self.meta),
        }
        return hashlib.sha256(canonical_json(payload)).hexdigest()

    @property
    def public(self) -> bool:
        """
        Whether this revision appears in the public change history.

        >>> Revision.create(1, "a", at="2019-07-31T10:00Z").public
        True
        """
        return self.update_type is UpdateType.MAJOR


class Revisions(Sequence[Revision]):
    """
    A read-only view of a document's revisions, oldest first.

    It indexes from 0 like any sequence; use :meth:`Document.revision` to
    look up by revision number.

    >>> doc = Document("d", "Title")
    >>> _ = doc.publish("one", at="2019-07-31T10:00Z")
    >>> _ = doc.update("two", at="2019-08-01T10:00Z", note="Changed.")
    >>> len(doc.revisions), doc.revisions[-1].number
    (2, 2)
    >>> [r.text for r in doc.revisions[:1]]
    ['one']

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_items",)

    def __init__(self, items: list[Revision]) -> None:
        self._items = items

    @overload
    def __getitem__(self, index: int) -> Revision: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Revision, ...]: ...
    def __getitem__(
        self, index: int | slice
    ) -> Revision | tuple[Revision, ...]:
        if isinstance(index, slice):
            return tuple(self._items[index])
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Revision]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"<Revisions of {len(self)}>"


_HEXISH = re.compile(r"[0-9a-f]{4,64}")


class Document:
    """
    A document kept as an ordered chain of revisions.

    Args:
        id: A stable identifier, such as a path or a content id.
        title: The document's title.
        url: Where the document is published, if anywhere.
        allow_backwards: Accept revisions whose time is earlier than the
            one before (rebased commits, clock errors). Then :meth:`at`
            answers with the latest revision in the chain made at or
            before the instant, and :meth:`as_of` with the chain up to it.

    >>> doc = Document("quintet", "Attorneys General lead ...")
    >>> _ = doc.publish("Text", at="2019-07-31T10:00:00+01:00")
    >>> _ = doc.update("Text, with a link", at="2019-08-01T09:30:00+01:00",
    ...                note="Added link to Quintet communiqué.")
    >>> _ = doc.update("Text, with a link.", at="2019-08-02T09:00:00+01:00",
    ...                minor=True)
    >>> print(doc.history_text())
    Published 31 July 2019
    Last updated 1 August 2019
    + show all updates
    <BLANKLINE>
    1. 1 August 2019 Added link to Quintet communiqué.
    2. 31 July 2019 First published.

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_allow_backwards",
        "_by_time",
        "_id",
        "_items",
        "_micros",
        "_monotonic",
        "_title",
        "_url",
    )

    def __init__(
        self,
        id: str,  # noqa: A002
        title: str,
        *,
        url: str | None = None,
        allow_backwards: bool = False,
    ) -> None:
        for name, value in (("id", id), ("title", title)):
            if not isinstance(value, str) or not value.strip():
                msg = f"{name} must be a non-empty str, got {value!r}"
                raise InvalidRevisionError(msg)
            _utf8(name, value)
        if url is not None and not isinstance(url, str):
            msg = f"url must be a str or None, got {type(url).__name__}"
            raise InvalidRevisionError(msg)
        if url is not None:
            _utf8("url", url)
        self._id = id
        self._title = title
        self._url = url
        self._allow_backwards = bool(allow_backwards)
        self._items: list[Revision] = []
        self._micros: list[int] = []
        self._monotonic = True
        self._by_time: tuple[list[int], list[int]] | None = None

    # -- identity -------------------------------------------------------

    @property
    def id(self) -> str:
        """The document's stable identifier."""
        return self._id

    @property
    def title(self) -> str:
        """The document's title."""
        return self._title

    @property
    def url(self) -> str | None:
        """Where the document is published, if known."""
        return self._url

    @property
    def allow_backwards(self) -> bool:
        """Whether revisions may be older than the one before them."""
        return self._allow_backwards

    def __repr__(self) -> str:
        return (
            f"<Document {self._id!r} {self._title!r} with "
            f"{len(self._items)} revisions>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (
            self._id,
            self._title,
            self._url,
            self._allow_backwards,
            self._items,
        ) == (
            other._id,
            other._title,
            other._url,
            other._allow_backwards,
            other._items,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    # -- building -------------------------------------------------------

    @classmethod
    def from_revisions(
        cls,
        revisions: Sequence[Revision],
        *,
        id: str,  # noqa: A002
        title: str,
        url: str | None = None,
        allow_backwards: bool = False,
        verify: bool = True,
    ) -> Self:
        """
        Rebuild a document from stored revisions.

        >>> doc = Document("d", "T")
        >>> _ = doc.publish("a", at="2019-07-31T10:00Z")
        >>> Document.from_revisions(doc.revisions, id="d", title="T") == doc
        True

        Raises:
            InvalidRevisionError: If the numbers are not 1, 2, 3, ...
            ChronologyError: If time goes backwards and *allow_backwards*
                is false.
            IntegrityError: With *verify*, if a digest does not match.
        """
        doc = cls(id, title, url=url, allow_backwards=allow_backwards)
        for expected, revision in enumerate(revisions, start=1):
            if not isinstance(revision, Revision):
                msg = (
                    f"expected Revision values, got "
                    f"{type(revision).__name__} at position {expected}"
                )
                raise InvalidRevisionError(msg)
            if revision.number != expected:
                msg = (
                    f"revisions must be numbered 1, 2, 3, ...; expected "
                    f"{expected}, got {revision.number}"
                )
                raise InvalidRevisionError(msg)
            doc._append(revision)
        if verify:
            doc.verify()
        return doc

    @classmethod
    def from_govuk_content_item(cls, item: Mapping[str, Any]) -> Document:
        """
        Read a GOV.UK content item's public history into a Document.

        Each entry of ``details.change_history`` becomes a major revision,
        oldest first, in Europe/London time. Content items carry only the
        current body: the latest revision's text is ``details.body``, and
        earlier revisions have empty text and ``meta`` saying
        ``{"govuk": {"text": "unknown"}}``. The id is the ``content_id``
        (or the ``base_path``), the url is the page on www.gov.uk.

        Disagreements inside the item (``public_updated_at`` not the newest
        change, no entry for ``first_published_at``) are not hidden: each
        is an :class:`~revtrack.exceptions.InconsistencyWarning`, and
        :func:`revtrack.check_govuk_content_item` lists them.

        >>> doc = Document.from_govuk_content_item({
        ...     "title": "Attorneys General lead ...",
        ...     "base_path": "/government/news/attorneys-general",
        ...     "first_published_at": "2019-07-31T10:30:00.000+01:00",
        ...     "public_updated_at": "2019-08-01T09:15:00.000+01:00",
        ...     "details": {"body": "<p>Hi</p>", "change_history": [
        ...         {"public_timestamp": "2019-08-01T09:15:00.000+01:00",
        ...          "note": "Added link to Quintet communiqué."},
        ...         {"public_timestamp": "2019-07-31T10:30:00.000+01:00",
        ...          "note": "First published."}]}})
        >>> print(doc.history_text())
        Published 31 July 2019
        Last updated 1 August 2019
        + show all updates
        <BLANKLINE>
        1. 1 August 2019 Added link to Quintet communiqué.
        2. 31 July 2019 First published.

        Raises:
            FormatError: If a field the history needs is missing or has
                the wrong type.

        .. versionadded:: 0.1.0
        """
        # _govuk builds on this module, so it is imported when needed.
        from ._govuk import document_from_content_item  # noqa: PLC0415

        return document_from_content_item(item)

    def _append(self, revision: Revision) -> None:
        micros = epoch_micros(revision.at)
        if self._micros and micros < self._micros[-1]:
            if not self._allow_backwards:
                raise _backwards(revision.at, self._items[-1])
            self._monotonic = False
        self._items.append(revision)
        self._micros.append(micros)
        self._by_time = None

    def publish(
        self,
        text: str,
        *,
        at: TimeLike,
        tz: str | None = None,
        note: str = FIRST_PUBLISHED,
        author: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Revision:
        """
        Make the first revision: the document's first publication.

        Args:
            text: The full text.
            at: When it was published (see :func:`revtrack.parse_timestamp`).
            tz: The zone for *at* when it has no offset, such as
                ``"Europe/London"``.
            note: Its change note.
            author: Who published it.
            meta: JSON-able extra data.

        >>> doc = Document("d", "Title")
        >>> doc.publish("Hello", at="31 July 2019", tz="Europe/London").note
        'First published.'

        Raises:
            InvalidRevisionError: If the document is already published, or
                a value is not valid. The document is left unchanged.
        """
        if self._items:
            msg = (
                f"{self._id!r} is already published (revision 1 at "
                f"{format_timestamp(self._items[0].at)}); call update() to "
                f"add a revision"
            )
            raise InvalidRevisionError(msg)
        revision = next_revision(
            None, text, at=at, tz=tz, note=note, author=author, meta=meta
        )
        self._append(revision)
        return revision

    def update(
        self,
        text: str,
        *,
        at: TimeLike,
        tz: str | None = None,
        note: str | None = None,
        minor: bool = False,
        republish: bool = False,
        author: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Revision:
        """
        Append a revision.

        A major update (the default) needs a public change *note*; a
        ``minor=True`` update (a typo, formatting) or a ``republish=True``
        one has none and leaves the public history as it was.

        >>> doc = Document("d", "Title")
        >>> _ = doc.publish("Helo", at="2019-07-31T10:00+01:00")
        >>> doc.update("Hello", at="2019-07-31T11:00+01:00", minor=True).number
        2
        >>> doc.update("Hello!", at="2019-08-01T10:00+01:00")
        Traceback (most recent call last):
        ...
        revtrack.exceptions.InvalidRevisionError: a major update needs a ...

        Raises:
            InvalidRevisionError: If the document is not published yet, a
                major update has no note, a minor one has a note, or a value
                is not valid. The document is left unchanged.
            ChronologyError: If *at* is earlier than the latest revision and
                the document does not allow that.
        """
        if not self._items:
            msg = f"{self._id!r} has no revisions yet; call publish() first"
            raise InvalidRevisionError(msg)
        revision = next_revision(
            self._items[-1],
            text,
            at=at,
            tz=tz,
            note=note,
            minor=minor,
            republish=republish,
            author=author,
            meta=meta,
            allow_backwards=self._allow_backwards,
        )
        self._append(revision)
        return revision

    # -- reading --------------------------------------------------------

    @property
    def revisions(self) -> Revisions:
        """The revisions, oldest first, as a read-only sequence."""
        return Revisions(self._items)

    @property
    def latest(self) -> Revision:
        """
        The newest revision in the chain.

        Raises:
            RevisionNotFoundError: If there are no revisions yet.
        """
        if not self._items:
            msg = f"{self._id!r} has no revisions yet; call publish() first"
            raise RevisionNotFoundError(msg)
        return self._items[-1]

    def revision(
        self, ref: int | str | dt.datetime, *, tz: str | None = None
    ) -> Revision:
        """
        Look a revision up by number, digest prefix or time.

        Args:
            ref: A revision number (``1`` is the first); a negative index
                (``-1`` is the latest); a hex prefix of at least four
                digits of its digest or chain digest; an aware datetime;
                or ``"@"`` and a time, such as ``"@2019-08-01"``: the
                revision current then (a date alone means the end of that
                day).
            tz: The zone for an ``"@"`` time without an offset; by default
                the zone of the latest revision, or UTC if it has only an
                offset.

        >>> doc = Document("d", "Title")
        >>> one = doc.publish("a", at="2019-07-31T10:00+01:00")
        >>> two = doc.update("b", at="2019-08-01T10:00+01:00", note="B.")
        >>> [doc.revision(ref).number for ref in (1, -1, two.digest[:6])]
        [1, 2, 2]
        >>> doc.revision("@2019-07-31", tz="Europe/London").number
        1

        Raises:
            RevisionNotFoundError: If nothing matches, or a prefix matches
                more than one revision.
        """
        if isinstance(ref, dt.datetime):
            return self.at(ref)
        if isinstance(ref, int) and not isinstance(ref, bool):
            return self._by_number(ref)
        if isinstance(ref, str):
            if ref.startswith("@"):
                return self.at(self._ref_time(ref[1:], tz))
            if _HEXISH.fullmatch(ref.lower()):
                return self._by_prefix(ref.lower())
        msg = (
            f"expected a revision number, a negative index, a digest prefix "
            f"of at least 4 hex digits, a datetime or '@<time>', got {ref!r}"
        )
        raise RevisionNotFoundError(msg)

    def _by_number(self, number: int) -> Revision:
        count = len(self._items)
        if 1 <= number <= count:
            return self._items[number - 1]
        if -count <= number <= -1:
            return self._items[number]
        msg = (
            f"{self._id!r} has revisions 1 to {count} (or -1 to -{count} "
            f"from the end), got {number}"
        )
        raise RevisionNotFoundError(msg)

    def _by_prefix(self, prefix: str) -> Revision:
        found = [
            r
            for r in self._items
            if r.digest.startswith(prefix) or r.chain_digest.startswith(prefix)
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            msg = (
                f"no revision of {self._id!r} has a digest starting {prefix!r}"
            )
            raise RevisionNotFoundError(msg)
        numbers = ", ".join(str(r.number) for r in found[:5])
        msg = (
            f"digest prefix {prefix!r} matches revisions {numbers}; give "
            f"more digits or the revision number"
        )
        raise RevisionNotFoundError(msg)

    def _ref_time(self, text: str, tz: str | None) -> pendulum.DateTime:
        if tz is None and self._items:
            tz = zone_name(self._items[-1].at)
        zone = tz or "UTC"
        try:
            when = parse_timestamp(text, tz=zone)
        except FormatError as exc:
            raise RevisionNotFoundError(str(exc)) from exc
        if re.fullmatch(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*", text):
            when = when.end_of("day")
        return when

    def _index_at(self, when: TimeLike) -> int:
        """Return the index of the revision current at *when*, or -1."""
        try:
            micros = epoch_micros(parse_timestamp(when))
        except FormatError as exc:
            raise RevisionNotFoundError(str(exc)) from exc
        if self._monotonic:
            return bisect.bisect_right(self._micros, micros) - 1
        if self._by_time is None:
            order = sorted(
                range(len(self._micros)), key=self._micros.__getitem__
            )
            times = [self._micros[i] for i in order]
            latest = list(itertools.accumulate(order, max))
            self._by_time = (times, latest)
        times, latest = self._by_time
        position = bisect.bisect_right(times, micros) - 1
        return latest[position] if position >= 0 else -1

    def at(self, when: TimeLike) -> Revision:
        """
        Return the revision current at *when*.

        That is the latest revision in the chain made at or before *when*
        (with ``allow_backwards``, the one with the highest number).

        >>> doc = Document("d", "Title")
        >>> _ = doc.publish("a", at="2019-07-31T10:00+01:00")
        >>> _ = doc.update("b", at="2019-08-01T10:00+01:00", note="B.")
        >>> doc.at("2019-07-31T23:59+01:00").text
        'a'

        Raises:
            RevisionNotFoundError: If *when* is before the first revision
                or is not an aware time.
        """
        index = self._index_at(when)
        if index < 0:
            first = (
                f"its first revision is at "
                f"{format_timestamp(self._items[0].at)}"
                if self._items
                else "it has no revisions"  # pragma: no mutate (message text)
            )
            msg = f"{self._id!r} did not exist at {when!s}; {first}"
            raise RevisionNotFoundError(msg)
        return self._items[index]

    def as_of(self, when: TimeLike) -> Document:
        """
        Return the document as a reader saw it at *when*.

        The copy holds the chain up to the revision current then, so its
        footer, change history and dates are those of that moment. Before
        the first publication it has no revisions.

        >>> doc = Document("d", "Title")
        >>> _ = doc.publish("a", at="2019-07-31T10:00+01:00")
        >>> _ = doc.update("b", at="2019-08-01T10:00+01:00", note="B.")
        >>> print(doc.as_of("2019-07-31T12:00+01:00").history_text())
        Published 31 July 2019
        """
        index = self._index_at(when)
        copy = Document(
            self._id,
            self._title,
            url=self._url,
            allow_backwards=self._allow_backwards,
        )
        for revision in self._items[: index + 1]:
            copy._append(revision)
        return copy

    # -- the public history --------------------------------------------

    @property
    def first_published(self) -> pendulum.DateTime | None:
        """When the document was first published, if it has been."""
        return self._items[0].at if self._items else None

    @property
    def last_updated(self) -> pendulum.DateTime | None:
        """
        When the page was last updated, as its footer says.

        This is the time of the latest major update after the first
        publication.

        It is ``None`` until there is one; minor updates never move it.
        """
        for revision in reversed(self._items[1:]):
            if revision.public:
                return revision.at
        return None

    @property
    def last_edited(self) -> pendulum.DateTime | None:
        """When the latest revision of any kind was made."""
        return self._items[-1].at if self._items else None

    @property
    def change_history(self) -> tuple[Change, ...]:
        """
        The public change history, newest first.

        It lists the major updates and the first publication, as GOV.UK's
        "show all updates" does.
        """
        return tuple(
            Change(r.at, r.note or FIRST_PUBLISHED)
            for r in reversed(self._items)
            if r.public or r.number == 1
        )

    def history_text(self, *, tz: str = DISPLAY_ZONE) -> str:
        """
        Render the public footer as plain text, dates on *tz*'s calendar.

        See :func:`revtrack.parse_history_text` for the way back.
        """
        return render_history_text(self.change_history, tz=tz)

    def history_html(self, *, tz: str = DISPLAY_ZONE) -> str:
        """Render the public footer as accessible HTML."""
        return render_history_html(self.change_history, tz=tz)

    # -- checking and comparing ----------------------------------------

    def verify(
        self, *, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """
        Check every digest and chain digest, oldest first.

        Args:
            progress: Called as ``progress(done, total)`` after each
                revision, for a progress bar over long histories.

        >>> doc = Document("d", "T")
        >>> _ = doc.publish("a", at="2019-07-31T10:00Z")
        >>> doc.verify(progress=lambda done, total: print(done, "of", total))
        1 of 1

        Raises:
            IntegrityError: Naming the first revision whose digest or
                chain digest does not match its content.
        """
        parent = None
        total = len(self._items)
        for revision in self._items:
            verify_revision(revision, parent, self._id)
            parent = revision.chain_digest
            if progress is not None:
                progress(revision.number, total)

    def diff(
        self,
        a: int | str | dt.datetime,
        b: int | str | dt.datetime = -1,
        **options: Any,  # noqa: ANN401
    ) -> Diff:
        """
        Diff two revisions, named as :meth:`revision` accepts them.

        >>> doc = Document("d", "T")
        >>> _ = doc.publish("the cat", at="2019-07-31T10:00Z")
        >>> _ = doc.update("the dog", at="2019-08-01T10:00Z", note="Dog.")
        >>> doc.diff(1, 2).new
        'the dog'
        """
        return diff(self.revision(a).text, self.revision(b).text, **options)

    def blame(
        self,
        *,
        granularity: Literal["line", "word"] = "line",
        revision: int | str | None = None,
    ) -> tuple[BlameSpan, ...]:
        r"""
        Say which revision wrote each line or word: see :func:`revtrack.blame`.

        >>> doc = Document("d", "T")
        >>> _ = doc.publish("a\n", at="2019-07-31T10:00Z")
        >>> _ = doc.update("a\nb\n", at="2019-08-01T10:00Z", note="B.")
        >>> [s.revision.number for s in doc.blame()]
        [1, 2]
        """
        # _blame sits above _model in the layering: import it late.
        from ._blame import blame  # noqa: PLC0415

        return blame(self, granularity=granularity, revision=revision)

    def audit(self) -> tuple[Finding, ...]:
        """
        Check the history against its change notes: see :func:`revtrack.audit`.

        >>> doc = Document("d", "T")
        >>> _ = doc.publish("a", at="2019-07-31T10:00Z")
        >>> _ = doc.update("a", at="2019-08-01T10:00Z", minor=True)
        >>> [f.rule for f in doc.audit()]
        ['identical']
        """
        # _classify sits above _model in the layering: import it late.
        from ._classify import audit  # noqa: PLC0415

        return audit(self)


class ChainTip(Protocol):
    """What :func:`next_revision` needs of the revision it follows."""

    @property
    def number(self) -> int:
        """The revision's number."""

    @property
    def at(self) -> pendulum.DateTime:
        """When it was made."""

    @property
    def chain_digest(self) -> str:
        """Its chain digest."""


def verify_revision(
    revision: Revision, parent_chain_digest: str | None, doc_id: str
) -> None:
    """
    Check one revision's digests, given its parent's chain digest.

    >>> r = Revision.create(1, "a", at="2019-07-31T10:00Z")
    >>> verify_revision(r, None, "d")

    Raises:
        IntegrityError: Naming the revision, if its text does not match its
            digest or its chain digest does not match its metadata.
    """
    if text_digest(revision.text) != revision.digest:
        msg = (
            f"revision {revision.number} of {doc_id!r}: its text does not "
            f"match its digest {revision.digest[:12]}; the data is damaged "
            f"or was changed"
        )
        raise IntegrityError(msg, revision=revision.number)
    if revision.compute_chain_digest(parent_chain_digest) != (
        revision.chain_digest
    ):
        msg = (
            f"revision {revision.number} of {doc_id!r}: its chain digest "
            f"does not match its metadata and history; the data is damaged "
            f"or was changed"
        )
        raise IntegrityError(msg, revision=revision.number)


def next_revision(
    parent: ChainTip | None,
    text: str,
    *,
    at: TimeLike,
    tz: str | None = None,
    note: str | None = None,
    minor: bool = False,
    republish: bool = False,
    author: str | None = None,
    meta: Mapping[str, Any] | None = None,
    allow_backwards: bool = False,
) -> Revision:
    """
    Make the revision that follows *parent*, by the rules of publishing.

    With no *parent* it is the first publication (a major update whose
    note defaults to "First published."); otherwise it is an update as
    :meth:`Document.update` describes. Stores use it to append without
    loading a whole chain.

    >>> first = next_revision(None, "a", at="2019-07-31T10:00Z")
    >>> next_revision(first, "b", at="2019-08-01T10:00Z", minor=True).number
    2

    Raises:
        InvalidRevisionError: If a value or the note rules are broken.
        ChronologyError: If *at* is earlier than *parent* and
            *allow_backwards* is false.
    """
    try:
        when = parse_timestamp(at, tz=tz)
    except FormatError as exc:
        raise InvalidRevisionError(str(exc)) from exc
    if parent is None:
        note = FIRST_PUBLISHED if note is None else note
        if minor or republish:
            msg = "the first publication is a major update, not minor"
            raise InvalidRevisionError(msg)
    if minor and republish:
        msg = "an update is minor or a republish, not both"
        raise InvalidRevisionError(msg)
    if minor or republish:
        kind = "minor" if minor else "republish"
        if note is not None:
            msg = (
                f"a {kind} update has no public change note, got {note!r}; "
                f"drop the note, or make it a major update (minor=False), "
                f"or keep it in meta"
            )
            raise InvalidRevisionError(msg)
        update_type = UpdateType.MINOR if minor else UpdateType.REPUBLISH
    else:
        _require_note(
            note, "publish()" if parent is None else "a major update"
        )
        update_type = UpdateType.MAJOR
    if (
        parent is not None
        and not allow_backwards
        and epoch_micros(when) < epoch_micros(parent.at)
    ):
        raise _backwards(when, parent)
    return Revision.create(
        1 if parent is None else parent.number + 1,
        text,
        at=when,
        update_type=update_type,
        note=note,
        author=author,
        meta=meta,
        parent_chain_digest=None if parent is None else parent.chain_digest,
    )


def _backwards(at: dt.datetime, last: ChainTip) -> ChronologyError:
    msg = (
        f"revision {last.number + 1} at {format_timestamp(at)} is earlier "
        f"than revision {last.number} at {format_timestamp(last.at)}; "
        f"pass allow_backwards=True to Document() to accept histories "
        f"whose time goes backwards"
    )
    return ChronologyError(msg)


def _require_note(note: object, what: str) -> None:
    if not isinstance(note, str) or not note.strip():
        msg = (
            f"{what} needs a public change note saying what changed, such "
            f"as note='Added link to Quintet communiqué.', got {note!r}; "
            f"pass minor=True for a change readers need not be told about"
        )
        raise InvalidRevisionError(msg)
