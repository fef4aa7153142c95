"""
Versioned history files: full and compact JSON, and JSON Lines.

Maintainer's notes: every reader here treats its input as untrusted. JSON
is decoded by the standard library (no pickle, no eval), then walked by
hand so that each error names where it is (``revisions[3].at``). Integrity
is checked as the revisions are rebuilt, oldest first, so the first
revision whose digest or chain digest fails is the one reported, and a
document digest over the header, the revision count and the head of the
chain catches a changed title or a dropped revision. Nothing is returned
until the whole input has been read and checked: there is no partial
Document.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import json
import lzma
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable  # autodoc
from pathlib import Path
from typing import IO, Any, Literal, NoReturn, overload

import attrs

from ._compact import (
    ChainPolicy,
    apply_delta,
    encode_delta,
    inflate,
    plan,
)
from ._model import (
    Document,
    Revision,
    UpdateType,
    thaw,
    verify_revision,
)
from ._time import (
    canonical_json,
    format_timestamp,
    parse_timestamp,
    restore_timestamp,
    zone_name,
)
from .exceptions import (
    DiskError,
    FormatError,
    IntegrityError,
    InvalidRevisionError,
    LimitExceededError,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "Limits",
    "document_digest",
    "dump",
    "dumps",
    "header_digest",
    "load",
    "loads",
    "read_jsonl",
    "revision_json",
    "verify_revision",
    "write_jsonl",
]

FORMAT = "revtrack.history"
VERSION = 1
_XZ_MAGIC = b"\xfd7zXZ\x00"

PathOrFile = str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int], None]
"""A file name, or a file opened in binary mode."""


@attrs.frozen
class Limits:
    """
    How much untrusted input a reader accepts.

    Attributes:
        max_size: The most bytes of JSON (after decompression; characters
            when :func:`loads` is given a ``str``) and the most characters
            of revision text rebuilt from deltas.
        max_depth: The deepest nesting of JSON arrays and objects.

    >>> import revtrack
    >>> doc = revtrack.Document("d", "T")
    >>> _ = doc.publish("Hello", at="2019-07-31T10:00Z")
    >>> revtrack.loads(revtrack.dumps(doc), limits=Limits(max_size=100))
    Traceback (most recent call last):
    ...
    revtrack.exceptions.LimitExceededError: the history is ... bytes, ...

    .. versionadded:: 0.1.0
    """

    max_size: int = 256 * 1024 * 1024
    max_depth: int = 32


def header_digest(
    id: str,  # noqa: A002
    title: str,
    url: str | None,
    *,
    allow_backwards: bool,
    count: int,
    head: str,
) -> str:
    """Return the digest over a document's own fields and its chain head."""
    payload = {
        "id": id,
        "title": title,
        "url": url,
        "allow_backwards": allow_backwards,
        "revisions": count,
        "head": head,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def document_digest(doc: Document) -> str:
    """
    Return the hex SHA-256 over a document's own fields and chain head.

    It covers the id, title, URL, ``allow_backwards``, the number of
    revisions and the chain digest of the last, so a changed title or a
    dropped revision shows even though every revision still verifies.

    >>> import revtrack
    >>> len(document_digest(revtrack.Document("d", "T")))
    64
    """
    return header_digest(
        doc.id,
        doc.title,
        doc.url,
        allow_backwards=doc.allow_backwards,
        count=len(doc.revisions),
        head=doc.revisions[-1].chain_digest if doc.revisions else "",
    )


def revision_json(revision: Revision) -> dict[str, Any]:
    """Return a revision's metadata as JSON values: all but its text."""
    return {
        "number": revision.number,
        "at": format_timestamp(revision.at),
        "zone": zone_name(revision.at),
        "update_type": revision.update_type.value,
        "note": revision.note,
        "author": revision.author,
        "meta": thaw(revision.meta),
        "digest": revision.digest,
        "chain_digest": revision.chain_digest,
    }


def _history_json(doc: Document, *, compact: bool) -> dict[str, Any]:
    revisions = [revision_json(r) for r in doc.revisions]
    if compact:
        placed = plan([r.text for r in doc.revisions], policy=ChainPolicy())
        for entry, revision, (link, delta) in zip(
            revisions,
            doc.revisions,
            placed,
            strict=True,  # pragma: no mutate (one entry per revision)
        ):
            if delta is None:
                entry["text"] = revision.text
            else:
                entry["base"] = link.base
                entry["delta"] = encode_delta(delta)
    else:
        for entry, revision in zip(
            revisions,
            doc.revisions,
            strict=True,  # pragma: no mutate (one entry per revision)
        ):
            entry["text"] = revision.text
    return {
        "format": FORMAT,
        "version": VERSION,
        "form": "compact" if compact else "full",
        "document": {
            "id": doc.id,
            "title": doc.title,
            "url": doc.url,
            "allow_backwards": doc.allow_backwards,
            "digest": document_digest(doc),
        },
        "revisions": revisions,
    }


@overload
def dumps(
    doc: Document, *, compact: Literal[False] = False, indent: int | None = ...
) -> str: ...
@overload
def dumps(
    doc: Document, *, compact: Literal[True], indent: int | None = ...
) -> bytes: ...
@overload
def dumps(
    doc: Document, *, compact: bool, indent: int | None = ...
) -> str | bytes: ...
def dumps(
    doc: Document, *, compact: bool = False, indent: int | None = None
) -> str | bytes:
    """
    Serialise *doc* with every field and digest.

    The full form is JSON text with every revision's whole text. The
    compact form (``compact=True``) stores most revisions as deltas
    against an earlier one, with full snapshots placed so that rebuilding
    any revision applies a bounded number of deltas, and returns the JSON
    compressed as xz bytes. :func:`loads` reads both.

    Args:
        doc: The document.
        compact: Write the compact form.
        indent: Indent the full form's JSON by this many spaces.

    >>> import revtrack
    >>> doc = revtrack.Document("d", "Title")
    >>> _ = doc.publish("Hello", at="2019-07-31T10:00+01:00")
    >>> revtrack.dumps(doc)[:52]
    '{"format":"revtrack.history","version":1,"form":"ful'
    >>> revtrack.loads(revtrack.dumps(doc, compact=True)) == doc
    True

    .. versionadded:: 0.1.0
    """
    value = _history_json(doc, compact=compact)
    separators = None if indent is not None else (",", ":")
    text = json.dumps(
        value, ensure_ascii=False, indent=indent, separators=separators
    )
    if compact:
        return lzma.compress(text.encode())  # xz, lzma's default format
    return text


def _raise_constant(name: str) -> NoReturn:
    msg = f"{name} is not a JSON number; the file is not valid JSON"
    raise FormatError(msg)


def _decode_json(text: str | bytes, limits: Limits) -> Any:  # noqa: ANN401
    if len(text) > limits.max_size:
        msg = (
            f"the history is {len(text)} bytes, more than the limit of "
            f"{limits.max_size}; pass limits=Limits(max_size=...) to read it"
        )
        raise LimitExceededError(msg)
    try:
        value = json.loads(text, parse_constant=_raise_constant)
    except json.JSONDecodeError as exc:
        msg = (
            f"expected a JSON history, but it is not valid JSON: {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}; the file is "
            f"truncated or damaged"
        )
        raise FormatError(msg) from exc
    except RecursionError as exc:
        msg = f"JSON nested more deeply than the limit of {limits.max_depth}"
        raise LimitExceededError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"expected UTF-8 JSON, got undecodable bytes: {exc}"
        raise FormatError(msg) from exc
    _check_depth(value, limits.max_depth)
    return value


def _check_depth(value: object, limit: int) -> None:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                msg = (
                    f"JSON nested more deeply than the limit of {limit}; "
                    f"pass limits=Limits(max_depth=...) to read it"
                )
                raise LimitExceededError(msg)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def _kind(value: object) -> str:
    """Name the kind of a JSON value, as json.loads gives no other."""
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }[type(value)]


def _get(
    obj: dict[str, Any],
    key: str,
    kinds: tuple[type, ...],
    where: str,
) -> Any:  # noqa: ANN401
    if key not in obj:
        msg = f"{where} has no {key!r} field; the file is damaged"
        raise FormatError(msg)
    value = obj[key]
    # bool is an int subclass: an integer field never takes true/false.
    if not isinstance(value, kinds) or (
        isinstance(value, bool) and bool not in kinds
    ):
        names = " or ".join(_kind(k()) for k in kinds)
        msg = f"{where}.{key} must be {names}, got {value!r:.80}"
        raise FormatError(msg)
    return value


def _only(obj: dict[str, Any], keys: set[str], where: str) -> None:
    extra = sorted(set(obj) - keys)
    if extra:
        msg = f"{where} has unknown fields {extra}; the file is damaged"
        raise FormatError(msg)


_REVISION_KEYS = {
    "number",
    "at",
    "zone",
    "update_type",
    "note",
    "author",
    "meta",
    "digest",
    "chain_digest",
}
_DOCUMENT_KEYS = {"id", "title", "url", "allow_backwards", "digest"}


def _header(value: object) -> tuple[dict[str, Any], str]:
    if not isinstance(value, dict):
        msg = f"expected a JSON object, got {_kind(value)}"
        raise FormatError(msg)
    fmt = value.get("format")
    if fmt != FORMAT:
        msg = f"expected 'format': {FORMAT!r}, got {fmt!r:.80}"
        raise FormatError(msg)
    version = _get(value, "version", (int,), "the history")
    if version != VERSION:
        newer = " (a newer revtrack wrote it; upgrade)" * (version > VERSION)
        msg = (
            f"this revtrack reads history format version {VERSION}, got "
            f"version {version}{newer}"
        )
        raise FormatError(msg)
    _only(value, {"format", "version", "form", "document", "revisions"}, "$")
    form = _get(value, "form", (str,), "the history")
    if form not in {"full", "compact"}:
        msg = f"expected 'form': 'full' or 'compact', got {form!r:.80}"
        raise FormatError(msg)
    return value, form


def _revision(
    entry: object, number: int, texts: list[str], *, form: str, budget: int
) -> Revision:
    where = f"revisions[{number - 1}]"
    if not isinstance(entry, dict):
        msg = f"{where} must be an object, got {_kind(entry)}"
        raise FormatError(msg)
    if "text" in entry or form == "full":
        _only(entry, _REVISION_KEYS | {"text"}, where)
        text: str = _get(entry, "text", (str,), where)
    else:
        _only(entry, _REVISION_KEYS | {"base", "delta"}, where)
        base: int = _get(entry, "base", (int,), where)
        if not 1 <= base < number:
            msg = (
                f"{where}.base must name an earlier revision (1 to "
                f"{number - 1}), got {base}; the file is damaged"
            )
            raise FormatError(msg)
        delta = _get(entry, "delta", (list,), where)
        text = apply_delta(texts[base - 1], delta, limit=budget)
    if _get(entry, "number", (int,), where) != number:
        msg = (
            f"{where}.number must be {number} (revisions are numbered 1, 2,"
            f" 3, ...), got {entry['number']!r}"
        )
        raise FormatError(msg)
    zone = _get(entry, "zone", (str, type(None)), where)
    at = restore_timestamp(_get(entry, "at", (str,), where), zone)
    return Revision(
        number,
        text,
        at,
        _update_type(_get(entry, "update_type", (str,), where), where),
        _get(entry, "note", (str, type(None)), where),
        _get(entry, "author", (str, type(None)), where),
        _get(entry, "meta", (dict,), where),
        _get(entry, "digest", (str,), where),
        _get(entry, "chain_digest", (str,), where),
    )


def _update_type(value: str, where: str) -> UpdateType:
    with contextlib.suppress(ValueError):
        return UpdateType(value)
    allowed = ", ".join(repr(u.value) for u in UpdateType)
    msg = f"{where}.update_type must be one of {allowed}, got {value!r:.80}"
    raise FormatError(msg)


def _document(
    value: Any,  # noqa: ANN401
    *,
    verify: bool,
    limits: Limits,
    progress: Progress | None = None,
) -> Document:
    value, form = _header(value)
    head = _get(value, "document", (dict,), "the history")
    _only(head, _DOCUMENT_KEYS, "document")
    entries = _get(value, "revisions", (list,), "the history")
    doc_id = _get(head, "id", (str,), "document")
    texts: list[str] = []
    revisions: list[Revision] = []
    budget = limits.max_size
    parent = None  # pragma: no mutate (None and "" chain alike)
    for number, entry in enumerate(entries, start=1):
        try:
            revision = _revision(
                entry, number, texts, form=form, budget=budget
            )
        except IntegrityError:
            raise
        except LimitExceededError as exc:
            msg = f"revision {number}: {exc}"
            raise LimitExceededError(msg) from exc
        except (FormatError, InvalidRevisionError) as exc:
            msg = f"revision {number}: {exc}"
            raise FormatError(msg) from exc
        if verify:
            verify_revision(revision, parent, doc_id)
        if progress is not None:
            progress(number, len(entries))
        parent = revision.chain_digest
        budget -= len(revision.text)
        texts.append(revision.text)
        revisions.append(revision)
    try:
        doc = Document.from_revisions(
            revisions,
            id=doc_id,
            title=_get(head, "title", (str,), "document"),
            url=_get(head, "url", (str, type(None)), "document"),
            allow_backwards=_get(head, "allow_backwards", (bool,), "document"),
            verify=False,
        )
    except InvalidRevisionError as exc:
        msg = f"the history does not make a valid document: {exc}"
        raise FormatError(msg) from exc
    digest = _get(head, "digest", (str,), "document")
    if verify and digest != document_digest(doc):
        msg = (
            f"document {doc_id!r}: its digest does not match its id, title, "
            f"URL or revision count; the data is damaged or was changed"
        )
        raise IntegrityError(msg, revision=0)
    return doc


def loads(
    data: str | bytes,
    *,
    verify: bool = True,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Document:
    """
    Read a history written by :func:`dumps`, full or compact.

    Args:
        data: JSON text, or the bytes of either form.
        verify: Check every digest, chain digest and the document digest.
        limits: How much input to accept; see :class:`Limits`.
        progress: Called as ``progress(done, total)`` after each revision
            is read (and verified), for a progress bar.

    >>> import revtrack
    >>> doc = revtrack.Document("d", "Title")
    >>> _ = doc.publish("Hello", at="2019-07-31T10:00+01:00")
    >>> revtrack.loads(revtrack.dumps(doc)) == doc
    True
    >>> revtrack.loads('{"format": "revtrack.history", "version": 2}')
    Traceback (most recent call last):
    ...
    revtrack.exceptions.FormatError: this revtrack reads history format ...

    Raises:
        FormatError: If *data* is not a history, is truncated or damaged,
            or was written by a newer format version (the message names
            it).
        IntegrityError: Naming the first revision whose digest or chain
            digest does not match; ``revision=0`` when the document's own
            fields or revision count do not.
        LimitExceededError: If *data* is larger or deeper than *limits*.

    .. versionadded:: 0.1.0
    """
    limits = limits or Limits()
    if isinstance(data, bytes | bytearray | memoryview):
        data = bytes(data)
        if data.startswith(_XZ_MAGIC):
            data = inflate(data, limit=limits.max_size)
    elif not isinstance(data, str):
        msg = f"expected JSON text or bytes, got {type(data).__name__}"
        raise FormatError(msg)
    return _document(
        _decode_json(data, limits),
        verify=verify,
        limits=limits,
        progress=progress,
    )


_ADVICE = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space or raise the quota",
    errno.EFBIG: "raise the file size limit (ulimit -f)",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EROFS: "write to a file system that is not read-only",
    errno.ENOENT: "create the folder first",
}


def _write_atomically(target: PathOrFile, data: bytes) -> None:
    """Write *data* to a temporary file beside *target*, then rename it."""
    if not isinstance(target, str | os.PathLike):
        target.write(data)
        return
    path = Path(target)
    temp = None  # pragma: no mutate ("" would unlink ".", an OSError)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temp).replace(path)
    except BaseException as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
        if not isinstance(exc, OSError):
            raise
        advice = _ADVICE.get(exc.errno or 0, "fix that")
        msg = (
            f"cannot write {os.fspath(target)!r}: "
            f"{exc.strerror or exc}; {advice} and try again. The file "
            f"there, if any, is unchanged"
        )
        raise DiskError(msg, errno=exc.errno) from exc


def dump(doc: Document, target: PathOrFile, *, compact: bool = False) -> None:
    """
    Write *doc* to a file as :func:`dumps` would.

    A path is written atomically: the old file stays whole until the new
    one is complete on disk, and a write the disk refuses (full, too
    large, no permission) raises :class:`~revtrack.exceptions.DiskError`
    and leaves it as it was.

    >>> import io, revtrack
    >>> doc = revtrack.Document("d", "Title")
    >>> _ = doc.publish("Hello", at="2019-07-31T10:00+01:00")
    >>> buffer = io.BytesIO()
    >>> revtrack.dump(doc, buffer, compact=True)
    >>> revtrack.load(io.BytesIO(buffer.getvalue())) == doc
    True

    Raises:
        DiskError: If the file system refuses to write a path; the file
            there is unchanged.

    .. versionadded:: 0.1.0
    """
    data = dumps(doc, compact=True) if compact else dumps(doc).encode()
    _write_atomically(target, data)


def _read_limited(source: PathOrFile, limit: int) -> bytes:
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as file:
            return _read_limited(file, limit)
    data = source.read(limit + 1)
    if len(data) > limit:
        msg = (
            f"the file is more than {limit} bytes; pass "
            f"limits=Limits(max_size=...) to read it"
        )
        raise LimitExceededError(msg)
    return data


def load(
    source: PathOrFile,
    *,
    verify: bool = True,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Document:
    """
    Read a history file written by :func:`dump`, full or compact.

    >>> import io, revtrack
    >>> revtrack.load(io.BytesIO(b'{"format": "revtrack.history"'))
    Traceback (most recent call last):
    ...
    revtrack.exceptions.FormatError: expected a JSON history, but it is ...

    Raises:
        FormatError: As :func:`loads` does.
        OSError: If the file cannot be read.

    .. versionadded:: 0.1.0
    """
    limits = limits or Limits()
    return loads(
        _read_limited(source, limits.max_size),
        verify=verify,
        limits=limits,
        progress=progress,
    )


def _jsonl_lines(
    source: PathOrFile | Iterable[str], limits: Limits
) -> Iterable[str | bytes]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.suffix == ".gz":
            with gzip.open(path) as packed:
                yield from _bounded(packed, limits.max_size)
        else:
            with path.open("rb") as plain:
                yield from _bounded(plain, limits.max_size)
        return
    yield from _bounded(source, limits.max_size)


def _bounded(
    lines: Iterable[str | bytes], limit: int
) -> Iterable[str | bytes]:
    total = 0
    try:
        for line in lines:
            total += len(line)
            if total > limit:
                msg = (
                    f"the JSON Lines input is more than {limit} bytes; pass "
                    f"limits=Limits(max_size=...) to read it"
                )
                raise LimitExceededError(msg)
            yield line
    except (OSError, EOFError, zlib.error) as exc:
        msg = f"the JSON Lines input cannot be read: {exc}"
        raise FormatError(msg) from exc


def read_jsonl(
    source: PathOrFile | Iterable[str],
    *,
    id: str,  # noqa: A002
    title: str,
    url: str | None = None,
    allow_backwards: bool = False,
    limits: Limits | None = None,
) -> Document:
    """
    Build a document from JSON Lines: one revision a line, oldest first.

    Each line is an object with ``timestamp`` (ISO 8601 with an offset),
    ``message`` (the change note) and ``text`` (the whole text); other
    fields are ignored. A path ending in ``.gz`` is read through gzip.
    Every revision becomes a major update noted with its message.

    >>> lines = [
    ...     '{"timestamp": "2019-07-31T10:00:00+01:00", "message": "Hi",'
    ...     ' "text": "a"}',
    ...     '{"timestamp": "2019-08-01T10:00:00+01:00", "message": "More",'
    ...     ' "text": "ab"}',
    ... ]
    >>> doc = read_jsonl(lines, id="d", title="T")
    >>> [r.note for r in doc.revisions]
    ['Hi', 'More']

    Raises:
        FormatError: Naming the line that is not such an object, or whose
            timestamp goes backwards without *allow_backwards*.
        LimitExceededError: If the input is larger than *limits* allows.

    .. versionadded:: 0.1.0
    """
    limits = limits or Limits()
    revisions: list[Revision] = []
    parent = None  # pragma: no mutate (None and "" chain alike)
    for number, line in enumerate(_jsonl_lines(source, limits), start=1):
        where = f"line {number}"
        try:
            value = json.loads(line, parse_constant=_raise_constant)
        except (ValueError, RecursionError) as exc:
            msg = f"{where} is not a JSON object: {exc}"
            raise FormatError(msg) from exc
        if not isinstance(value, dict):
            msg = f"{where} must be a JSON object, got {_kind(value)}"
            raise FormatError(msg)
        try:
            revision = Revision.create(
                number,
                _get(value, "text", (str,), where),
                at=parse_timestamp(_get(value, "timestamp", (str,), where)),
                note=_get(value, "message", (str,), where),
                parent_chain_digest=parent,
            )
        except (FormatError, InvalidRevisionError) as exc:
            msg = f"{where}: {exc}"
            raise FormatError(msg) from exc
        parent = revision.chain_digest
        revisions.append(revision)
    try:
        return Document.from_revisions(
            revisions,
            id=id,
            title=title,
            url=url,
            allow_backwards=allow_backwards,
            verify=False,  # pragma: no mutate (the chain was just built)
        )
    except InvalidRevisionError as exc:
        msg = f"the lines do not make a valid document: {exc}"
        raise FormatError(msg) from exc


_LINE_BREAKS = str.maketrans(
    {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
)


def write_jsonl(doc: Document, target: PathOrFile | None = None) -> list[str]:
    r"""
    Write *doc* as JSON Lines, the layout :func:`read_jsonl` reads.

    Each revision becomes ``{"timestamp", "message", "text"}``: the note
    (or ``""``) is the message. Zones, update types, authors and meta are
    not part of the layout. Characters that some tools read as line breaks
    (U+2028, U+2029, U+0085) are escaped, so each line holds one revision.

    Args:
        doc: The document.
        target: A path or binary file to write to, if any.

    Returns:
        The lines, each ending in a newline.

    Raises:
        DiskError: If the file system refuses to write a path; the file
            there is unchanged.

    >>> import revtrack
    >>> doc = revtrack.Document("d", "Title")
    >>> _ = doc.publish("Hello", at="2019-07-31T10:00+01:00")
    >>> write_jsonl(doc)
    ['{"timestamp": "2019-07-31T10:00:00+01:00", "message": "First
    published.", "text": "Hello"}\n']

    .. versionadded:: 0.1.0
    """
    lines = [
        json.dumps(
            {
                "timestamp": format_timestamp(r.at),
                "message": r.note or "",
                "text": r.text,
            },
            ensure_ascii=False,
        ).translate(_LINE_BREAKS)
        + "\n"
        for r in doc.revisions
    ]
    if target is not None:
        _write_atomically(target, "".join(lines).encode())
    return lines
