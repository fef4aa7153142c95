"""
The Store protocol and SQLiteStore, the embedded default.

Maintainer's notes: a store keeps each document as rows of *chunks*: runs
of consecutive revisions compressed together (raw LZMA2), because a
revision compressed alone pays for its own dictionary and a row's page
overhead, and a chunk's metadata (times, notes, digests) compresses well
with itself. A chunk holds its first revision (the *head*) whole (a
snapshot) or as a delta against an earlier revision (its *base*), and
every later revision as a delta against the one before it. A head's base
is the revision just before it whenever the chain allows, so chunks form
*runs*: one forward chain of deltas, each edit stored once. When a run
would exceed :attr:`ChainPolicy.max_depth` deltas or read more than
:attr:`ChainPolicy.max_ratio` times the text's size in delta bytes (the
revlog rule, which bounds reading relative to the revision's size rather
than its position), a new run starts with a head that skip-deltas
against the head of an earlier run of its *segment* (run ``s`` against
run ``s & (s - 1)``, so few head deltas lie between any run and the
snapshot), and a new snapshot starts a segment when even that would
break the bounds. Rows keep a run's number in ``seq``; a reader only
follows ``base``, so stores whose heads all skip back read the same.
Every write happens in one ``BEGIN IMMEDIATE`` transaction, so two
writers queue instead of interleaving, and an append rewrites the open
chunk in that same transaction. Three checks make damage
show: each revision's digest and chain digest; each document row's digest
over its fields, revision count and chain head; and a store summary (the
document count and an XOR of per-document digests) that notices a
document that vanished.
"""

from __future__ import annotations

import contextlib
import datetime as dt  # noqa: TC003  # autodoc resolves annotations
import errno
import hashlib
import json
import lzma
import os
import sqlite3
import zlib
from collections.abc import Mapping  # noqa: TC003  # autodoc resolves it
from typing import (
    TYPE_CHECKING,
    Any,
    NoReturn,
    Protocol,
    Self,
    runtime_checkable,
)

import attrs

from ._compact import (
    ChainPolicy,
    apply_delta,
    compact_json,
    encode_delta,
    inflate,
    make_delta,
)
from ._formats import Limits, header_digest, verify_revision
from ._model import Document, Revision, next_revision, text_digest, thaw
from ._time import (
    canonical_json,
    epoch_micros,
    format_timestamp,
    parse_timestamp,
    restore_timestamp,
    zone_name,
)
from .exceptions import (
    DiskError,
    DocumentNotFoundError,
    FormatError,
    IntegrityError,
    InvalidRevisionError,
    LimitExceededError,
    RevisionNotFoundError,
    StoreError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import TracebackType

    import pendulum


__all__ = ["SCHEMA_VERSION", "SQLiteStore", "Store"]

SCHEMA_VERSION = 3
_APPLICATION_ID = 0x52547263  # "RTrc" in the SQLite header: ours
# Small pages: a store of a few short histories is mostly its last page
# of each table and each blob, so the page is the unit of waste. 512
# bytes, SQLite's least, saves about 5 KB a store against 1024; it only
# applies to a new file.
_PAGE_SIZE = 512
# Runs are forward chains, which store tighter than a compact file's
# skip-deltas, so a store allows longer chains by default.
_STORE_POLICY = ChainPolicy(max_depth=64, max_ratio=2.0, chunk_size=32)

_DOCUMENTS = """
    CREATE TABLE revtrack_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO revtrack_meta VALUES ('documents', '0'), ('summary', '0');
    CREATE TABLE documents (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        url TEXT,
        allow_backwards INTEGER NOT NULL,
        head INTEGER NOT NULL,
        head_chain TEXT NOT NULL,
        digest TEXT NOT NULL
    );
    CREATE INDEX documents_url ON documents (url);
    CREATE INDEX documents_title ON documents (title)
"""
# Version 1 kept one zlib row per revision; version 2 keeps chunks.
_REVISIONS_V1 = """
    CREATE TABLE revisions (
        doc INTEGER NOT NULL,
        number INTEGER NOT NULL,
        at TEXT NOT NULL,
        zone TEXT,
        update_type TEXT NOT NULL,
        note TEXT,
        author TEXT,
        meta TEXT,
        digest BLOB NOT NULL,
        chain_digest BLOB NOT NULL,
        segment INTEGER NOT NULL,
        base INTEGER,
        depth INTEGER NOT NULL,
        span INTEGER NOT NULL,
        size INTEGER NOT NULL,
        payload BLOB NOT NULL
    );
    CREATE UNIQUE INDEX revisions_number ON revisions (doc, number)
"""
_CHUNKS = """
    CREATE TABLE chunks (
        doc INTEGER NOT NULL,
        first INTEGER NOT NULL,
        last INTEGER NOT NULL,
        seg INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        base INTEGER,
        depth INTEGER NOT NULL,
        span INTEGER NOT NULL,
        parent BLOB,
        head BLOB NOT NULL,
        body BLOB NOT NULL,
        fields BLOB NOT NULL,
        PRIMARY KEY (doc, first)
    ) WITHOUT ROWID
"""
_CHUNK_COLUMNS = (
    "first, last, seg, seq, base, depth, span, parent, head, body, fields"
)
_EMPTY_SUMMARY = "0" * 64
# A delta stays zlib when LZMA2 would not shrink it below this fraction.
_ZLIB_SLACK = 1.1
_ZLIB_START = b"\x78"  # the first byte of zlib's header at its default window
# Raw LZMA2 without a container: the digests catch damage, and a 60-byte
# xz header on every chunk would cost more than it checks.
_FILTERS: list[dict[str, Any]] = [
    {"id": lzma.FILTER_LZMA2, "preset": 9, "dict_size": 1 << 20}
]


@runtime_checkable
class Store(Protocol):  # pragma: no mutate block  (never called)
    """
    What revtrack needs from a place that keeps many documents.

    :class:`SQLiteStore` is the default; anything with these methods can
    stand in for it.

    >>> isinstance(SQLiteStore(":memory:"), Store)
    True

    .. versionadded:: 0.1.0
    """

    def put(self, doc: Document) -> None:
        """Store *doc*, or the revisions it has beyond the stored ones."""

    def get(self, id: str) -> Document:  # noqa: A002
        """Return the document stored as *id*."""

    def append(
        self,
        id: str,  # noqa: A002
        text: str,
        *,
        at: str | dt.datetime | dt.date,
        tz: str | None = None,
        note: str | None = None,
        minor: bool = False,
        republish: bool = False,
        author: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Revision:
        """Add a revision to a stored document, as Document.update does."""

    def revision(self, id: str, number: int) -> Revision:  # noqa: A002
        """Return one revision of a stored document."""

    def revisions(
        self,
        id: str,  # noqa: A002
        *,
        since: str | dt.datetime | dt.date | None = None,
        until: str | dt.datetime | dt.date | None = None,
    ) -> tuple[Revision, ...]:
        """Return the revisions made in ``[since, until)``."""

    def ids(self) -> tuple[str, ...]:
        """Return the ids of the stored documents, sorted."""

    def find(
        self, *, url: str | None = None, title: str | None = None
    ) -> tuple[str, ...]:
        """Return the ids of the documents with this URL or title."""

    def delete(self, id: str) -> None:  # noqa: A002
        """Remove a document and all its revisions."""

    def close(self) -> None:
        """Release the store."""


def _pack(data: bytes, *, delta: bool = False) -> bytes:
    """
    Compress a chunk blob: LZMA2, or zlib for a delta it hardly beats.

    Deltas sit on the read path of every revision after them, and zlib
    inflates about five times faster than LZMA2, so a delta is kept as
    zlib unless LZMA2 saves more than a tenth. A zlib stream starts with
    0x78, which no raw LZMA2 stream does, so no flag is stored.
    """
    packed = lzma.compress(data, format=lzma.FORMAT_RAW, filters=_FILTERS)
    if delta:
        quick = zlib.compress(data, 9)
        if len(quick) <= len(packed) * _ZLIB_SLACK + 16:
            return quick
    return packed


def _pack_head(data: bytes) -> bytes:
    """
    Compress a chunk's head delta: always zlib.

    A head that skips back over many revisions holds hundreds of copy
    instructions and is read by every revision after it in its segment;
    LZMA2 shrank the largest of them by a fifth but took half a
    millisecond to inflate one, where the whole store grew by at most 4%
    (whatwg-url) with zlib.
    """
    return zlib.compress(data, 9)


def _unpack(data: bytes, *, limit: int) -> bytes:
    """Decompress a chunk blob, refusing more than *limit* bytes out."""
    if data[:1] == _ZLIB_START:
        return inflate(data, limit=limit)
    engine = lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=_FILTERS)
    try:
        out = engine.decompress(data, max_length=limit + 1)
    except lzma.LZMAError as exc:
        msg = f"the compressed chunk is corrupt ({exc})"
        raise FormatError(msg) from exc
    if len(out) > limit:
        msg = (
            f"a chunk inflates to more than {limit} bytes; raise "
            f"Limits.max_size if the store is trusted"
        )
        raise LimitExceededError(msg)
    if not engine.eof or engine.unused_data:
        msg = f"the compressed chunk of {len(data)} bytes is truncated"
        raise FormatError(msg)
    return out


def _xor_hex(a: str, b: str) -> str:
    return (int(a, 16) ^ int(b, 16)).to_bytes(32, "big").hex()


def _summary_term(doc_id: str, digest: str) -> str:
    return hashlib.sha256(canonical_json([doc_id, digest])).hexdigest()


def _fields(revision: Revision) -> list[Any]:
    """Return what a chunk keeps of *revision* besides its text."""
    return [
        format_timestamp(revision.at),
        zone_name(revision.at),
        revision.update_type.value,
        revision.note,
        revision.author,
        thaw(revision.meta) if revision.meta else None,
        revision.digest,
        revision.chain_digest,
    ]


def _store_error(path: str, exc: sqlite3.Error) -> StoreError:
    """Say what a SQLite error means for the store, and what to do."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None  # extended
    text = str(exc)
    if primary in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED} or (
        primary is None and ("locked" in text or "busy" in text)
    ):
        msg = (
            f"{path!r} is locked by another writer ({text}); try again, "
            f"or pass a longer timeout"
        )
        return StoreError(msg)
    if primary == sqlite3.SQLITE_FULL:
        msg = (
            f"{path!r} cannot grow: the disk or the database's size limit "
            f"is full ({text}); free some space and try again. Nothing "
            f"committed before was lost"
        )
        return DiskError(msg, errno=errno.ENOSPC)
    if primary == sqlite3.SQLITE_IOERR:
        # EFBIG and EIO both arrive here; SQLite keeps the errno to itself.
        msg = (
            f"{path!r} could not be written ({text}): the disk may be "
            f"full, the file past a size limit (ulimit -f) or the device "
            f"failing; fix that and try again. Nothing committed before "
            f"was lost"
        )
        return DiskError(msg)
    if primary in {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_CANTOPEN,
    }:
        msg = (
            f"{path!r} cannot be opened for writing ({text}); a store needs "
            f"its folder to exist and permission to write both the file "
            f"and its folder (for the -wal and -shm files beside it): fix "
            f"the permissions, or copy the store somewhere writable"
        )
        return DiskError(msg, errno=errno.EACCES)
    if isinstance(exc, sqlite3.OperationalError):
        return StoreError(f"{path!r} cannot be used as a store: {text}")
    msg = f"{path!r} is damaged or not a revtrack store: {text}"
    return StoreError(msg)


def _damaged(doc_id: str, number: int, detail: object) -> NoReturn:
    if isinstance(detail, LimitExceededError):
        # Too large for the reader's limits is not damage: a trusted
        # store of large documents is read with higher limits.
        msg = f"revision {number} of {doc_id!r} cannot be read: {detail}"
        raise LimitExceededError(msg) from detail
    msg = (
        f"revision {number} of {doc_id!r} cannot be read ({detail}); the "
        f"store is damaged"
    )
    raise IntegrityError(msg, revision=number)


@attrs.frozen
class _Row:
    """One chunk row: a run of revisions, the first stored as its head."""

    first: int
    last: int
    seg: int
    seq: int
    base: int | None
    depth: int
    span: int
    parent: bytes | None
    head: bytes
    body: bytes  # the deltas after the head
    fields: bytes  # the fields of every revision in the chunk

    @classmethod
    def of(cls, row: tuple[Any, ...], doc_id: str) -> _Row:
        first, last, seg, seq, base, depth, span = row[:7]
        numbers = (first, last, seg, seq, depth, span)
        if (
            any(type(n) is not int for n in numbers)
            or not 1 <= seg <= first <= last
            or (base is not None and (type(base) is not int or base >= first))
            or not isinstance(row[8], bytes)
            or not isinstance(row[9], bytes)
            or not isinstance(row[10], bytes)
            or (row[7] is not None and not isinstance(row[7], bytes))
        ):
            _damaged(doc_id, first if type(first) is int else 0, "its row")
        return cls(first, last, seg, seq, base, depth, span, *row[7:])


@attrs.define
class _Open:
    """The chunk being filled, with what adding a revision to it needs."""

    row: _Row
    fields: list[list[Any]]
    deltas: list[Any]
    used: int  # delta bytes inside the chunk
    text: str  # the text of its last revision
    dirty: bool = False


@attrs.frozen
class _Tip:
    """The end of a stored chain: all that appending needs of it."""

    number: int
    at: pendulum.DateTime
    chain_digest: str


class SQLiteStore:
    """
    Many documents in one SQLite file, stored compactly and checked.

    Args:
        path: The database file (created when missing), or ``":memory:"``.
        timeout: Seconds to wait for another writer before
            :class:`~revtrack.exceptions.StoreError` says it is locked.
        policy: Where full snapshots go; see the storage docs. By
            default ``ChainPolicy(max_depth=64, chunk_size=32)``.
        limits: The most bytes one stored revision may inflate to; a
            larger one raises
            :class:`~revtrack.exceptions.LimitExceededError` naming it.

    The file uses write-ahead logging; every write is one transaction, so
    a writer killed half-way leaves the store as it was before that write.

    >>> import revtrack
    >>> doc = revtrack.Document("quintet", "Quintet", url="/quintet")
    >>> _ = doc.publish("Text", at="2019-07-31T10:00:00+01:00")
    >>> with SQLiteStore(":memory:") as store:
    ...     store.put(doc)
    ...     rev = store.append("quintet", "Text.", at="2019-08-01T09:30+01:00",
    ...                        note="Added a full stop.")
    ...     print(rev.number, store.find(url="/quintet"),
    ...           store.get("quintet").latest.text)
    2 ('quintet',) Text.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 30.0,
        policy: ChainPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._path = str(path)
        self._policy = policy or _STORE_POLICY
        self._limits = limits or Limits()
        try:
            self._db = sqlite3.connect(
                self._path, timeout=timeout, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise _store_error(self._path, exc) from exc
        # Absolute, as SQLite keeps it: a later chdir changes nothing.
        self._where = os.path.abspath(self._path)  # noqa: PTH100
        self._file: tuple[int, int] | None = None
        self._closed = False
        try:
            with self._errors():
                self._open()
                self._file = self._identity()
        except BaseException:
            self._db.close()
            raise

    # -- opening and migrating ------------------------------------------

    def _open(self) -> None:
        tables = {
            row[0]
            for row in self._db.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table'"
            )
        }
        (app_id,) = self._db.execute("PRAGMA application_id").fetchone()
        if tables and (
            "revtrack_meta" not in tables or app_id != _APPLICATION_ID
        ):
            msg = (
                f"{self._path!r} is a SQLite database but not a revtrack "
                f"store (it has tables {sorted(tables)[:5]}); open a new "
                f"file or one SQLiteStore made"
            )
            raise StoreError(msg)
        if not tables:
            # Both only take effect before the first table exists.
            self._db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
            self._db.execute("PRAGMA auto_vacuum = FULL")
        if self._path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        if tables and self._version() == SCHEMA_VERSION:
            return  # nothing to migrate: opening takes no write lock
        with self._transaction():
            version = self._version() if tables else 0
            if version > SCHEMA_VERSION:
                msg = (
                    f"{self._path!r} has store schema version {version}; "
                    f"this revtrack reads up to version {SCHEMA_VERSION}. "
                    f"Upgrade revtrack to open it"
                )
                raise StoreError(msg)
            if version == 0:
                for statement in (_DOCUMENTS + ";" + _CHUNKS).split(";"):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            if version == 1:
                self._migrate_v1()
            if version == 2:  # noqa: PLR2004
                self._migrate_v2()
            self._db.execute(
                "INSERT OR REPLACE INTO revtrack_meta VALUES ('schema', ?)",
                (str(SCHEMA_VERSION),),
            )

    def _migrate_v1(self) -> None:
        """Rewrite every document of a version 1 store as chunks."""
        self._db.execute(_CHUNKS)
        documents = self._db.execute(
            "SELECT key, id FROM documents ORDER BY key"
        ).fetchall()
        for key, doc_id in documents:
            revisions = self._legacy_revisions(key, doc_id)
            texts = [r.text for r in revisions]
            builder = _Builder(self, key, _nth(texts))
            for revision in revisions:
                builder.add(revision)
            builder.flush()
        self._db.execute("DROP TABLE revisions")

    def _migrate_v2(self) -> None:
        """
        Split every version 2 chunk body into its deltas and its fields.

        Version 2 kept both in one LZMA2 stream, so reading a revision
        inflated the fields of every chunk on its chain; version 3 keeps
        the fields apart and may keep deltas as zlib (see ``_pack``).
        """
        self._db.execute(
            "ALTER TABLE chunks ADD COLUMN fields BLOB NOT NULL DEFAULT x''"
        )
        rows = self._db.execute(
            "SELECT chunks.doc, documents.id, chunks.first, chunks.body"
            " FROM chunks JOIN documents ON documents.key = chunks.doc"
        ).fetchall()
        for key, doc_id, first, body in rows:
            value = self._unpacked(body, doc_id, first)
            if type(value) is not list or len(value) != 2:  # noqa: PLR2004
                _damaged(doc_id, first, "its chunk is not [fields, deltas]")
            self._db.execute(
                "UPDATE chunks SET body = ?, fields = ?"
                " WHERE doc = ? AND first = ?",
                (
                    _pack(compact_json(value[1]), delta=True),
                    _pack(compact_json(value[0])),
                    key,
                    first,
                ),
            )

    def _legacy_revisions(self, key: int, doc_id: str) -> list[Revision]:
        """Read a document as version 1 stored it: a zlib row each."""
        rows = self._db.execute(
            "SELECT number, at, zone, update_type, note, author, meta,"
            " digest, chain_digest, base, payload FROM revisions"
            " WHERE doc = ? ORDER BY number",
            (key,),
        ).fetchall()
        texts: dict[int, str] = {}
        revisions = []
        for row in rows:
            number, base = row[0], row[9]
            try:
                raw = inflate(bytes(row[10]), limit=self._limits.max_size)
                texts[number] = (
                    raw.decode("utf-8")
                    if base is None
                    else apply_delta(
                        texts[base],
                        json.loads(raw),
                        limit=self._limits.max_size,
                    )
                )
                fields = [
                    *row[1:6],
                    json.loads(row[6]) if row[6] is not None else None,
                    bytes(row[7]).hex(),
                    bytes(row[8]).hex(),
                ]
            except (FormatError, ValueError, KeyError, TypeError) as exc:
                _damaged(doc_id, number, exc)
            revisions.append(_revision(number, fields, texts[number], doc_id))
        return revisions

    def _version(self) -> int:
        row = self._db.execute(
            "SELECT value FROM revtrack_meta WHERE key = 'schema'"
        ).fetchone()
        if row is None or not str(row[0]).isdigit():
            msg = (
                f"{self._path!r} has no readable schema version ({row!r}); "
                f"the store is damaged"
            )
            raise StoreError(msg)
        return int(row[0])

    def _identity(self) -> tuple[int, int] | None:
        """Return the device and inode of the file, None if it has none."""
        if self._path in {":memory:", ""}:
            return None
        try:
            found = os.stat(self._where)  # noqa: PTH116  # Path: 4x slower
        except OSError:
            return (-1, -1)  # gone: never equal to a file's identity
        return (found.st_dev, found.st_ino)

    def _check_file(self) -> None:
        """
        Refuse to go on once the file was replaced or deleted under us.

        SQLite keeps reading and writing the file it opened, so without
        this a store would serve and commit revisions to a file no longer
        at its path, and share the ``-wal`` file with whatever is there now.
        """
        if self._file is not None and self._identity() != self._file:
            msg = (
                f"{self._path!r} was replaced or deleted after this store "
                f"opened it; close this SQLiteStore and open the path again "
                f"(a store's file must stay in place while it is open)"
            )
            raise StoreError(msg)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        if self._closed:
            msg = (
                f"this SQLiteStore of {self._path!r} was closed; open the "
                f"path again with a new SQLiteStore"
            )
            raise StoreError(msg)
        self._check_file()
        try:
            yield
        except sqlite3.Error as exc:
            raise _store_error(self._path, exc) from exc
        except UnicodeDecodeError as exc:
            # SQLite hands back text it cannot decode when a byte is damaged.
            msg = f"{self._path!r} is damaged or not a revtrack store: {exc}"
            raise StoreError(msg) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._check_file()  # never commit to a file that left its path
            self._db.execute("COMMIT")
        except BaseException:
            # A full disk or an I/O error has already rolled SQLite back;
            # a second ROLLBACK would replace the real error with its own.
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """
        Close the database; the store cannot be used afterwards.

        >>> SQLiteStore(":memory:").close()
        """
        self._closed = True
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SQLiteStore {self._path!r}>"

    # -- documents ------------------------------------------------------

    def _document_row(self, doc_id: str) -> tuple[Any, ...]:
        if not isinstance(doc_id, str):
            msg = f"expected a document id as str, got {doc_id!r}"
            raise StoreError(msg)
        row = self._db.execute(
            "SELECT key, id, title, url, allow_backwards, head, head_chain,"
            " digest FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            msg = (
                f"no document {doc_id!r} in {self._path!r}; ids() lists "
                f"the stored ones"
            )
            raise DocumentNotFoundError(msg)
        key, _id, title, url, backwards, count, head, digest = row
        # A damaged record can hand back a value of another type (a text
        # flipped into a blob): refuse it here, not deep in a digest.
        if not (
            type(key) is int
            and type(title) is str
            and (url is None or type(url) is str)
            and type(backwards) is int
            and type(count) is int
            and type(head) is str
            and type(digest) is str
        ):
            msg = (
                f"document {doc_id!r}: its row holds values of the wrong "
                f"types ({[type(v).__name__ for v in row]}); the store is "
                f"damaged"
            )
            raise IntegrityError(msg, revision=0)
        return tuple(row)

    def _set_head(
        self, row: tuple[Any, ...], *, count: int, head: str
    ) -> None:
        key, doc_id, title, url, allow_backwards = row[:5]
        old = row[7]
        digest = header_digest(
            doc_id,
            title,
            url,
            allow_backwards=bool(allow_backwards),
            count=count,
            head=head,
        )
        self._db.execute(
            "UPDATE documents SET head = ?, head_chain = ?, digest = ?"
            " WHERE key = ?",
            (count, head, digest, key),
        )
        self._update_summary(
            remove=_summary_term(doc_id, old),
            add=_summary_term(doc_id, digest),
        )

    def _update_summary(
        self, *, remove: str | None = None, add: str | None = None
    ) -> None:
        count, summary = self._summary()
        for term, step in ((remove, -1), (add, 1)):
            if term is not None:
                summary = _xor_hex(summary, term)
                count += step
        self._db.executemany(
            "UPDATE revtrack_meta SET value = ? WHERE key = ?",
            [(str(count), "documents"), (summary, "summary")],
        )

    def _summary(self) -> tuple[int, str]:
        values = dict(
            self._db.execute(
                "SELECT key, value FROM revtrack_meta"
                " WHERE key IN ('documents', 'summary')"
            ).fetchall()
        )
        count, summary = values.get("documents"), values.get("summary")
        if (
            not isinstance(count, str)
            or not count.isdigit()
            or not isinstance(summary, str)
            or len(summary) not in {1, 64}
        ):
            msg = f"{self._path!r} has a damaged summary; it is not usable"
            raise StoreError(msg)
        try:
            int(summary, 16)
        except ValueError as exc:
            msg = f"{self._path!r} has a damaged summary; it is not usable"
            raise StoreError(msg) from exc
        # A new store starts at "0": the XOR of no terms.
        return int(count), summary.rjust(64, "0")

    # -- reading chunks -------------------------------------------------

    def _rows(self, key: int, doc_id: str) -> list[_Row]:
        return [
            _Row.of(tuple(row), doc_id)
            for row in self._db.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks"  # noqa: S608
                " WHERE doc = ? ORDER BY first",
                (key,),
            )
        ]

    def _row(
        self, key: int, doc_id: str, number: int, *, exact: bool = False
    ) -> _Row:
        """Return the chunk holding *number*, or starting at it if exact."""
        found = self._db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks"  # noqa: S608
            f" WHERE doc = ? AND first {'=' if exact else '<='} ?"
            " ORDER BY first DESC LIMIT 1",
            (key, number),
        ).fetchone()
        if found is None:
            _damaged(doc_id, number, "no chunk holds it")
        row = _Row.of(tuple(found), doc_id)
        if not row.first <= number <= row.last:
            _damaged(doc_id, number, "no chunk holds it")
        return row

    def _unpacked(self, data: bytes, doc_id: str, number: int) -> Any:  # noqa: ANN401
        """Return the JSON value packed in *data*, or report damage."""
        try:
            return json.loads(_unpack(data, limit=self._limits.max_size))
        except (FormatError, ValueError, RecursionError) as exc:
            _damaged(doc_id, number, exc)

    def _deltas(self, row: _Row, doc_id: str) -> list[Any]:
        """Return the deltas of a chunk's revisions after its head."""
        value = self._unpacked(row.body, doc_id, row.first)
        if type(value) is not list or len(value) != row.last - row.first:
            _damaged(doc_id, row.first, "its chunk does not match its row")
        return value

    def _fields(self, row: _Row, doc_id: str) -> list[list[Any]]:
        """Return the fields of a chunk's revisions."""
        fields = self._unpacked(row.fields, doc_id, row.first)
        if not (
            type(fields) is list
            and len(fields) == row.last - row.first + 1
            and all(type(f) is list and len(f) == 8 for f in fields)  # noqa: PLR2004
        ):
            _damaged(doc_id, row.first, "its chunk does not match its row")
        return fields

    def _body(
        self, row: _Row, doc_id: str
    ) -> tuple[list[list[Any]], list[Any]]:
        """Return the fields of a chunk's revisions and its deltas."""
        return self._fields(row, doc_id), self._deltas(row, doc_id)

    def _text_at(
        self,
        key: int,
        doc_id: str,
        number: int,
        memo: dict[int, str],
        *,
        row: _Row | None = None,
    ) -> str:
        """
        Rebuild the text of revision *number*, remembering it in *memo*.

        A chunk's head applies to the text of its base revision, which may
        sit anywhere in an earlier chunk of its segment: the chain is
        walked back to a snapshot or a remembered text, then forward.
        *row* is the chunk holding *number*, if the caller has read it.
        """
        chain: list[tuple[_Row, int]] = []
        wanted = number
        while wanted not in memo:
            if row is None or not row.first <= wanted <= row.last:
                row = self._row(key, doc_id, wanted)
            if chain and row.seg != chain[-1][0].seg:
                _damaged(doc_id, chain[-1][0].first, "its base is elsewhere")
            chain.append((row, wanted))
            if row.first in memo or row.base is None:
                break
            wanted = row.base
        text = memo.get(wanted, "")
        limit = self._limits.max_size
        for link, upto in reversed(chain):
            if link.first in memo:
                text = memo[link.first]
            else:
                try:
                    raw = _unpack(link.head, limit=limit)
                    text = (
                        raw.decode("utf-8")
                        if link.base is None
                        else apply_delta(text, json.loads(raw), limit=limit)
                    )
                except (FormatError, ValueError, RecursionError) as exc:
                    _damaged(doc_id, link.first, exc)
            if upto > link.first:
                deltas = self._deltas(link, doc_id)
                # Keep only the last text: a chunk of a 10 MB document
                # holds 32 of them.
                for rebuilt in self._later(link, text, deltas, doc_id, upto):
                    text = rebuilt
        memo[number] = text
        return text

    def _later(
        self,
        row: _Row,
        text: str,
        deltas: list[Any],
        doc_id: str,
        upto: int,
    ) -> Iterator[str]:
        """Yield the texts of *row* after its head's *text*, to *upto*."""
        numbers = range(row.first + 1, upto + 1)
        for number, delta in zip(numbers, deltas, strict=False):
            try:
                text = apply_delta(text, delta, limit=self._limits.max_size)
            except FormatError as exc:
                _damaged(doc_id, number, exc)
            yield text

    def _chunk_texts(
        self,
        key: int,
        row: _Row,
        deltas: list[Any],
        doc_id: str,
        *,
        memo: dict[int, str],
        upto: int,
    ) -> list[str]:
        """Rebuild the texts of *row* up to *upto*, remembering the last."""
        head = self._text_at(key, doc_id, row.first, memo)
        texts = [head, *self._later(row, head, deltas, doc_id, upto)]
        memo[upto] = texts[-1]
        return texts

    def _walk(
        self,
        key: int,
        doc_id: str,
        count: int,
        select: Callable[[int, list[Any]], bool],
    ) -> list[Revision]:
        """Return the selected revisions, oldest first, each verified."""
        memo: dict[int, str] = {}
        result = []
        parent: str | None = None
        expected = 1
        for row in self._rows(key, doc_id):
            if row.first != expected:
                _damaged(doc_id, expected, "it is missing")
            fields, deltas = self._body(row, doc_id)
            numbers = range(row.first, row.last + 1)
            chosen = [
                n for n, f in zip(numbers, fields, strict=True) if select(n, f)
            ]
            texts = (
                self._chunk_texts(
                    key, row, deltas, doc_id, memo=memo, upto=chosen[-1]
                )
                if chosen
                else []
            )
            for number, entry in zip(numbers, fields, strict=True):
                if number in chosen:
                    revision = _revision(
                        number, entry, texts[number - row.first], doc_id
                    )
                    verify_revision(revision, parent, doc_id)
                    result.append(revision)
                parent = entry[7] if type(entry[7]) is str else None
            expected = row.last + 1
        if expected != count + 1:
            msg = (
                f"{doc_id!r} should have revisions 1 to {count}, but its "
                f"chunks hold 1 to {expected - 1}; the store is damaged"
            )
            raise IntegrityError(msg, revision=min(expected, count + 1))
        return result

    # -- writing --------------------------------------------------------

    def _write(self, key: int, chunk: _Open) -> None:
        row = chunk.row
        self._db.execute(
            f"INSERT OR REPLACE INTO chunks (doc, {_CHUNK_COLUMNS})"  # noqa: S608
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                row.first,
                row.first + len(chunk.fields) - 1,
                row.seg,
                row.seq,
                row.base,
                row.depth,
                row.span,
                row.parent,
                row.head,
                _pack(compact_json(chunk.deltas), delta=True),
                _pack(compact_json(chunk.fields)),
            ),
        )

    def _head_link(
        self, key: int, seg: int, seq: int
    ) -> tuple[int, int, int] | None:
        """Return the first number, depth and span of a run's head."""
        found = self._db.execute(
            "SELECT first, depth, span FROM chunks"
            " WHERE doc = ? AND seg = ? AND seq = ? ORDER BY first LIMIT 1",
            (key, seg, seq),
        ).fetchone()
        return None if found is None else (found[0], found[1], found[2])

    # -- documents ------------------------------------------------------

    def put(self, doc: Document) -> None:
        """
        Store *doc*, or add the revisions it has beyond the stored ones.

        A document already stored under the same id must have a history
        that *doc* extends (the same chain digests); its title, URL and
        ``allow_backwards`` are updated to *doc*'s.

        >>> import revtrack
        >>> doc = revtrack.Document("d", "Title")
        >>> _ = doc.publish("Hello", at="2019-07-31T10:00Z")
        >>> store = SQLiteStore(":memory:")
        >>> store.put(doc)
        >>> store.get("d") == doc
        True

        Raises:
            IntegrityError: If *doc* does not verify.
            StoreError: If the stored history is not a start of *doc*'s.

        .. versionadded:: 0.1.0
        """
        if not isinstance(doc, Document):
            msg = f"expected a Document, got {type(doc).__name__}"
            raise StoreError(msg)
        doc.verify()
        revisions = doc.revisions
        builder = _Builder(self, 0, _nth([r.text for r in revisions]))
        with self._errors(), self._transaction():
            found = self._db.execute(
                "SELECT key FROM documents WHERE id = ?",
                (doc.id,),
            ).fetchone()
            if found is None:
                key: int = (
                    self._db.execute(
                        "INSERT INTO documents (id, title, url,"
                        " allow_backwards, head, head_chain, digest)"
                        " VALUES (?, ?, ?, ?, 0, '', '')",
                        (doc.id, doc.title, doc.url, int(doc.allow_backwards)),
                    ).lastrowid
                    or 0
                )
                self._update_summary(add=_summary_term(doc.id, ""))
                stored = 0
            else:
                key = found[0]
                stored = self._resume(key, doc, builder)
                self._db.execute(
                    "UPDATE documents SET title = ?, url = ?,"
                    " allow_backwards = ? WHERE key = ?",
                    (doc.title, doc.url, int(doc.allow_backwards), key),
                )
            builder.key = key
            for revision in revisions[stored:]:
                builder.add(revision)
            builder.flush()
            row = self._document_row(doc.id)
            self._set_head(
                row,
                count=len(revisions),
                head=revisions[-1].chain_digest if revisions else "",
            )

    def _resume(self, key: int, doc: Document, builder: _Builder) -> int:
        """Check *doc* extends the stored history; open its last chunk."""
        digests: list[Any] = []
        last = None
        for row in self._rows(key, doc.id):
            fields, deltas = self._body(row, doc.id)
            digests += [entry[7] for entry in fields]
            last = (row, fields, deltas)
        revisions = doc.revisions
        if len(digests) > len(revisions) or any(
            digest != revision.chain_digest
            for digest, revision in zip(digests, revisions, strict=False)
        ):
            msg = (
                f"{doc.id!r} is stored with a history of {len(digests)} "
                f"revisions that this document of {len(revisions)} does not "
                f"extend; delete({doc.id!r}) first to replace it"
            )
            raise StoreError(msg)
        if last is not None:
            row, fields, deltas = last
            builder.resume(row, fields, deltas, revisions[row.last - 1].text)
        return len(digests)

    def append(
        self,
        id: str,  # noqa: A002
        text: str,
        *,
        at: str | dt.datetime | dt.date,
        tz: str | None = None,
        note: str | None = None,
        minor: bool = False,
        republish: bool = False,
        author: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Revision:
        """
        Add a revision to a stored document in one transaction.

        It takes the same arguments as :meth:`revtrack.Document.update`
        (a document without revisions gets its first publication), and
        writers queue: two processes appending at once both land, one
        after the other, on a chain that stays whole.

        >>> import revtrack
        >>> store = SQLiteStore(":memory:")
        >>> store.put(revtrack.Document("d", "Title"))
        >>> store.append("d", "One", at="2019-07-31T10:00Z").note
        'First published.'


        Raises:
            DocumentNotFoundError: If there is no such document.
            StoreError: If the store is locked or damaged.
            InvalidRevisionError: As :meth:`revtrack.Document.update`.
            ChronologyError: As :meth:`revtrack.Document.update`.

        .. versionadded:: 0.1.0
        """
        with self._errors(), self._transaction():
            row = self._document_row(id)
            key, count = row[0], row[5]
            # _set_head signs the row anew: never sign fields changed
            # behind the store's back.
            if row[7] != header_digest(
                *row[1:4],
                allow_backwards=bool(row[4]),
                count=count,
                head=row[6],
            ):
                msg = (
                    f"document {id!r}: its digest does not match its "
                    f"fields; the store is damaged, nothing was appended"
                )
                raise IntegrityError(msg, revision=0)
            memo: dict[int, str] = {}
            builder = _Builder(
                self, key, lambda n: self._text_at(key, id, n, memo)
            )
            tip = None
            if count:
                chunk = self._row(key, id, count)
                fields, deltas = self._body(chunk, id)
                head = self._text_at(key, id, count, memo, row=chunk)
                last = fields[count - chunk.first]
                # Build only on a verified text, never on damage.
                if chunk.last != count or text_digest(head) != last[6]:
                    _damaged(id, count, "its text does not match its digest")
                tip = _Tip(count, _fields_at(last, id, count), str(last[7]))
                builder.resume(chunk, fields, deltas, head)
            revision = next_revision(
                tip,
                text,
                at=at,
                tz=tz,
                note=note,
                minor=minor,
                republish=republish,
                author=author,
                meta=meta,
                allow_backwards=bool(row[4]),
            )
            builder.add(revision)
            builder.flush()
            self._set_head(row, count=count + 1, head=revision.chain_digest)
        return revision

    def delete(self, id: str) -> None:  # noqa: A002
        """
        Remove a document and all its revisions.

        >>> store = SQLiteStore(":memory:")
        >>> import revtrack
        >>> store.put(revtrack.Document("d", "Title"))
        >>> store.delete("d")
        >>> store.ids()
        ()

        Raises:
            DocumentNotFoundError: If there is no such document.

        .. versionadded:: 0.1.0
        """
        with self._errors(), self._transaction():
            row = self._document_row(id)
            self._db.execute(
                "DELETE FROM chunks WHERE doc = ?",
                (row[0],),
            )
            self._db.execute(
                "DELETE FROM documents WHERE key = ?",
                (row[0],),
            )
            self._update_summary(remove=_summary_term(id, row[7]))

    # -- reading --------------------------------------------------------

    def ids(self) -> tuple[str, ...]:
        """
        Return the ids of the stored documents, sorted.

        >>> SQLiteStore(":memory:").ids()
        ()

        Raises:
            StoreError: If a document row is missing or damaged.

        .. versionadded:: 0.1.0
        """
        with self._errors():
            rows = self._db.execute(
                "SELECT id, digest FROM documents ORDER BY id"
            ).fetchall()
            count, summary = self._summary()
        check = _EMPTY_SUMMARY
        for doc_id, digest in rows:
            check = _xor_hex(check, _summary_term(doc_id, digest))
        if count != len(rows) or check != summary:
            msg = (
                f"{self._path!r} lists {len(rows)} documents but its "
                f"summary records {count} with other digests; the store is "
                f"damaged"
            )
            raise StoreError(msg)
        return tuple(row[0] for row in rows)

    def find(
        self, *, url: str | None = None, title: str | None = None
    ) -> tuple[str, ...]:
        """
        Return the ids of documents with this URL and/or this title.

        >>> import revtrack
        >>> store = SQLiteStore(":memory:")
        >>> store.put(revtrack.Document("d", "Title", url="/d"))
        >>> store.find(title="Title"), store.find(url="/nowhere")
        (('d',), ())

        Raises:
            StoreError: If neither *url* nor *title* is given.

        .. versionadded:: 0.1.0
        """
        if url is None and title is None:
            msg = "find() needs url=... or title=... (or both)"
            raise StoreError(msg)
        clauses, values = [], []
        for column, value in (("url", url), ("title", title)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        with self._errors():
            rows = self._db.execute(
                "SELECT id FROM documents WHERE "  # noqa: S608  # fixed names
                + " AND ".join(clauses)
                + " ORDER BY id",
                values,
            ).fetchall()
        return tuple(row[0] for row in rows)

    def get(self, id: str) -> Document:  # noqa: A002
        """
        Return the document stored as *id*, checked.

        Every digest and chain digest is verified, and the document's own
        digest over its fields and revision count.

        >>> store = SQLiteStore(":memory:")
        >>> store.get("missing")
        Traceback (most recent call last):
        ...
        revtrack.exceptions.DocumentNotFoundError: no document 'missing' in ...

        Raises:
            DocumentNotFoundError: If there is no such document.
            IntegrityError: Naming the first revision that does not match
                (``revision=0`` for the document's own fields).

        .. versionadded:: 0.1.0
        """
        with self._errors():
            row = self._document_row(id)
            revisions = self._walk(row[0], id, row[5], lambda _n, _f: True)
        parent = revisions[-1].chain_digest if revisions else ""
        digest = header_digest(
            row[1],
            row[2],
            row[3],
            allow_backwards=bool(row[4]),
            count=len(revisions),
            head=parent,
        )
        if digest != row[7] or parent != row[6]:
            msg = (
                f"document {id!r}: its digest does not match its fields or "
                f"revisions; the store is damaged"
            )
            raise IntegrityError(msg, revision=0)
        try:
            return Document.from_revisions(
                revisions,
                id=row[1],
                title=row[2],
                url=row[3],
                allow_backwards=bool(row[4]),
                verify=False,  # pragma: no mutate (_walk verified each)
            )
        except InvalidRevisionError as exc:
            msg = f"document {id!r} is damaged: {exc}"
            raise IntegrityError(msg, revision=0) from exc

    def revision(self, id: str, number: int) -> Revision:  # noqa: A002
        """
        Return revision *number* of a stored document, checked.

        It rebuilds only that revision: reading cost does not grow with
        the length of the history. Negative numbers count from the end.

        >>> import revtrack
        >>> doc = revtrack.Document("d", "Title")
        >>> _ = doc.publish("Hello", at="2019-07-31T10:00Z")
        >>> store = SQLiteStore(":memory:")
        >>> store.put(doc)
        >>> store.revision("d", -1).text
        'Hello'

        Raises:
            RevisionNotFoundError: If there is no such revision.
            IntegrityError: If it or its chain does not match its digests.

        .. versionadded:: 0.1.0
        """
        with self._errors():
            row = self._document_row(id)
            key, count = row[0], row[5]
            if type(number) is int and -count <= number <= -1:
                number += count + 1
            if type(number) is not int or not 1 <= number <= count:
                msg = (
                    f"{id!r} has revisions 1 to {count} (or -1 to -{count} "
                    f"from the end), got {number!r}"
                )
                raise RevisionNotFoundError(msg)
            chunk = self._row(key, id, number)
            fields = self._fields(chunk, id)
            text = self._text_at(key, id, number, {}, row=chunk)
        index = number - chunk.first
        if index:
            parent = fields[index - 1][7]
        else:
            parent = None if chunk.parent is None else chunk.parent.hex()
        revision = _revision(number, fields[index], text, id)
        verify_revision(revision, parent, id)
        return revision

    def revisions(
        self,
        id: str,  # noqa: A002
        *,
        since: str | dt.datetime | dt.date | None = None,
        until: str | dt.datetime | dt.date | None = None,
    ) -> tuple[Revision, ...]:
        """
        Return the revisions made at or after *since* and before *until*.

        Either bound may be left out. Times compare as instants.

        >>> import revtrack
        >>> doc = revtrack.Document("d", "Title")
        >>> _ = doc.publish("a", at="2019-07-31T10:00Z")
        >>> _ = doc.update("b", at="2019-08-01T10:00Z", note="B.")
        >>> store = SQLiteStore(":memory:")
        >>> store.put(doc)
        >>> [r.text for r in store.revisions("d", since="2019-08-01T00:00Z")]
        ['b']

        Raises:
            DocumentNotFoundError: If there is no such document.
            InvalidRevisionError: If a bound is not an aware time.

        .. versionadded:: 0.1.0
        """
        low, high = (
            None if value is None else epoch_micros(_bound(value))
            for value in (since, until)
        )

        def select(number: int, fields: list[Any]) -> bool:
            micros = epoch_micros(_fields_at(fields, id, number))
            return (low is None or micros >= low) and (
                high is None or micros < high
            )

        with self._errors():
            row = self._document_row(id)
            return tuple(self._walk(row[0], id, row[5], select))


def _nth(texts: list[str]) -> Callable[[int], str]:
    """Return a look-up of revision texts by number, from 1."""
    return lambda number: texts[number - 1]


def _bound(value: str | dt.datetime | dt.date) -> dt.datetime:
    try:
        return parse_timestamp(value)
    except FormatError as exc:
        raise InvalidRevisionError(str(exc)) from exc


def _fields_at(
    fields: list[Any], doc_id: str, number: int
) -> pendulum.DateTime:
    try:
        return restore_timestamp(fields[0], fields[1])
    except (FormatError, TypeError) as exc:
        _damaged(doc_id, number, f"a damaged time {fields[0]!r}: {exc}")


def _revision(
    number: int, fields: list[Any], text: str, doc_id: str
) -> Revision:
    at, zone, update_type, note, author, meta, digest, chain = fields
    try:
        return Revision(
            number,
            text,
            restore_timestamp(at, zone),
            update_type,
            note,
            author,
            meta,
            digest,
            chain,
        )
    except (InvalidRevisionError, FormatError, ValueError, TypeError) as exc:
        _damaged(doc_id, number, f"damaged fields: {exc}")


class _Builder:
    """Places one document's new revisions in chunks and writes them."""

    def __init__(
        self,
        store: SQLiteStore,
        key: int,
        text_of: Callable[[int], str],
    ) -> None:
        self.key = key
        self._store = store
        self._text_of = text_of  # the text of a stored revision, by number
        self._open: _Open | None = None

    def resume(
        self, row: _Row, fields: list[list[Any]], deltas: list[Any], text: str
    ) -> None:
        """Continue filling the stored chunk *row*."""
        used = sum(len(compact_json(delta)) for delta in deltas)
        self._open = _Open(row, fields, deltas, used, text)

    def add(self, revision: Revision) -> None:
        """Place *revision* after the last one placed."""
        policy = self._store._policy  # noqa: SLF001
        text = revision.text
        size = max(len(text.encode("utf-8")), 1)
        budget = policy.max_ratio * size
        current = self._open
        parent = None
        if current is not None:
            row = current.row
            count = len(current.fields)
            delta = encode_delta(make_delta(current.text, text))
            cost = len(compact_json(delta))
            if (
                count < policy.chunk_size
                and row.depth + count <= policy.max_depth
                and row.span + current.used + cost <= budget
                and cost <= size
            ):
                current.fields.append(_fields(revision))
                current.deltas.append(delta)
                current.used += cost
                current.text = text
                current.dirty = True
                return
            self.flush()
            parent = bytes.fromhex(current.fields[-1][7])
            # The previous revision is the best base: the new chunk carries
            # on the run. Skipping back to the head of an earlier run
            # repeats every edit in between, so a new run starts only when
            # the chain would grow too long, and a snapshot when even that
            # would.
            forward = (
                row.first + count - 1,
                row.depth + count - 1,
                row.span + current.used,
            )
            run = row.seq + 1
            for seq, base in (
                (row.seq, forward),
                (
                    run,
                    self._store._head_link(  # noqa: SLF001
                        self.key, row.seg, run & (run - 1)
                    ),
                ),
            ):
                if base is None:
                    continue
                head = (
                    delta
                    if base is forward
                    else encode_delta(make_delta(self._text_of(base[0]), text))
                )
                cost = len(compact_json(head))
                if (
                    base[1] < policy.max_depth
                    and base[2] + cost <= budget
                    and cost <= size
                ):
                    self._start(
                        revision,
                        _Row(
                            revision.number,
                            revision.number,
                            row.seg,
                            seq,
                            base[0],
                            base[1] + 1,
                            base[2] + cost,
                            parent,
                            _pack_head(compact_json(head)),
                            b"",
                            b"",
                        ),
                    )
                    return
        number = revision.number
        self._start(
            revision,
            _Row(
                number,
                number,
                number,
                0,
                None,
                0,
                0,
                parent,
                _pack(text.encode("utf-8")),
                b"",
                b"",
            ),
        )

    def _start(self, revision: Revision, row: _Row) -> None:
        self._open = _Open(
            row, [_fields(revision)], [], 0, revision.text, dirty=True
        )

    def flush(self) -> None:
        """Write the open chunk if it changed."""
        if self._open is not None and self._open.dirty:
            self._store._write(self.key, self._open)  # noqa: SLF001
            self._open.dirty = False
