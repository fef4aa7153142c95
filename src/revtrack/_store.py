"""
The Store protocol and SQLiteStore, the embedded default.

Maintainer's notes: a store keeps each revision as one row holding its
metadata, digests, and its text compressed with zlib either whole (a
snapshot) or as a delta against an earlier revision, placed by
``_compact`` (skip-deltas inside segments started by snapshots; the
revlog rule bounds how many deltas and how many delta bytes rebuilding
any revision reads). Every write happens in one ``BEGIN IMMEDIATE``
transaction, so two writers queue instead of interleaving. Three checks
make damage show: each revision's digest and chain digest; each document
row's digest over its fields, revision count and chain head; and a store
summary (the document count and an XOR of per-document digests) that
notices a document that vanished.
"""

from __future__ import annotations

import contextlib
import datetime as dt  # noqa: TC003  # autodoc resolves annotations
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Mapping  # noqa: TC003  # autodoc resolves it
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

import attrs

from ._compact import (
    ChainPolicy,
    Link,
    apply_delta,
    encode_delta,
    inflate,
    link_after,
    make_delta,
    skip_base,
)
from ._formats import Limits, header_digest, verify_revision
from ._model import Document, Revision, next_revision, thaw
from ._time import (
    canonical_json,
    epoch_micros,
    format_timestamp,
    parse_timestamp,
    restore_timestamp,
    zone_name,
)
from .exceptions import (
    FormatError,
    IntegrityError,
    InvalidRevisionError,
    RevisionNotFoundError,
    StoreError,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Iterator
    from types import TracebackType

    import pendulum


__all__ = ["SCHEMA_VERSION", "SQLiteStore", "Store"]

SCHEMA_VERSION = 1
_APPLICATION_ID = 0x52547263  # "RTrc" in the SQLite header: ours

# Each migration takes the schema from the version before it to its own:
# statements separated by ";" run in the transaction that opens the store.
_MIGRATIONS: dict[int, str] = {
    1: """
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
    CREATE INDEX documents_title ON documents (title);
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
    """,
}
_EMPTY_SUMMARY = "0" * 64

_META_COLUMNS = (
    "number, at, zone, update_type, note, author, meta, digest,"
    " chain_digest, segment, base, depth, span, size"
)


@runtime_checkable
class Store(Protocol):
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


def _pack(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def _xor_hex(a: str, b: str) -> str:
    return (int(a, 16) ^ int(b, 16)).to_bytes(32, "big").hex()


def _summary_term(doc_id: str, digest: str) -> str:
    return hashlib.sha256(canonical_json([doc_id, digest])).hexdigest()


class SQLiteStore:
    """
    Many documents in one SQLite file, stored compactly and checked.

    Args:
        path: The database file (created when missing), or ``":memory:"``.
        timeout: Seconds to wait for another writer before
            :class:`~revtrack.exceptions.StoreError` says it is locked.
        policy: Where full snapshots go; see the storage docs.
        limits: The most bytes one stored revision may inflate to.

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
        self._policy = policy or ChainPolicy()
        self._limits = limits or Limits()
        try:
            self._db = sqlite3.connect(
                self._path, timeout=timeout, isolation_level=None
            )
        except sqlite3.Error as exc:
            msg = f"cannot open {self._path!r} as a store: {exc}"
            raise StoreError(msg) from exc
        try:
            with self._errors():
                self._open()
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
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    self._db.execute(statement)
                self._db.execute(
                    "INSERT OR REPLACE INTO revtrack_meta VALUES "
                    "('schema', ?)",
                    (str(step),),
                )
            if version == 0:
                self._db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")

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

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                msg = (
                    f"{self._path!r} is locked by another writer ({text}); "
                    f"try again, or pass a longer timeout"
                )
            else:
                msg = f"{self._path!r} cannot be used as a store: {text}"
            raise StoreError(msg) from exc
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            # SQLite hands back text it cannot decode when a byte is damaged.
            msg = f"{self._path!r} is damaged or not a revtrack store: {exc}"
            raise StoreError(msg) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """
        Close the database; the store cannot be used afterwards.

        >>> SQLiteStore(":memory:").close()
        """
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
            raise StoreError(msg)
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
        with self._errors(), self._transaction():
            found = self._db.execute(
                "SELECT key, digest FROM documents WHERE id = ?", (doc.id,)
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
                links: list[Link] = []
            else:
                key = found[0]
                links = self._check_prefix(key, doc)
                self._db.execute(
                    "UPDATE documents SET title = ?, url = ?,"
                    " allow_backwards = ? WHERE key = ?",
                    (doc.title, doc.url, int(doc.allow_backwards), key),
                )
            for revision in revisions[len(links) :]:
                previous = links[-1] if links else None
                base = skip_base(previous)
                base_text = None if base is None else revisions[base - 1].text
                links.append(
                    self._insert(
                        key,
                        revision,
                        base_text,
                        links[base - 1] if base is not None else None,
                    )
                )
            row = self._document_row(doc.id)
            self._set_head(
                row,
                count=len(revisions),
                head=revisions[-1].chain_digest if revisions else "",
            )

    def _check_prefix(self, key: int, doc: Document) -> list[Link]:
        rows = self._db.execute(
            "SELECT number, chain_digest, segment, base, depth, span"
            " FROM revisions WHERE doc = ? ORDER BY number",
            (key,),
        ).fetchall()
        revisions = doc.revisions
        if len(rows) > len(revisions) or any(
            bytes(row[1]).hex() != revisions[i].chain_digest
            for i, row in enumerate(rows)
        ):
            msg = (
                f"{doc.id!r} is stored with a history of {len(rows)} "
                f"revisions that this document of {len(revisions)} does not "
                f"extend; delete({doc.id!r}) first to replace it"
            )
            raise StoreError(msg)
        return [Link(row[0], row[2], row[3], row[4], row[5]) for row in rows]

    def _insert(
        self,
        key: int,
        revision: Revision,
        base_text: str | None,
        base: Link | None,
    ) -> Link:
        data = revision.text.encode("utf-8")
        payload = data
        delta_size = 0
        if base_text is not None:
            delta = make_delta(base_text, revision.text)
            payload = json.dumps(
                encode_delta(delta), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            delta_size = len(payload)
        link = link_after(
            revision.number,
            base if base_text is not None else None,
            delta_size=delta_size,
            text_size=len(data),
            policy=self._policy,
        )
        if link.base is None:
            payload = data
        meta = canonical_json(thaw(revision.meta)) if revision.meta else None
        self._db.execute(
            f"INSERT INTO revisions ({_META_COLUMNS}, doc, payload) VALUES"  # noqa: S608
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                revision.number,
                format_timestamp(revision.at),
                zone_name(revision.at),
                revision.update_type.value,
                revision.note,
                revision.author,
                meta,
                bytes.fromhex(revision.digest),
                bytes.fromhex(revision.chain_digest),
                link.segment,
                link.base,
                link.depth,
                link.span,
                len(data),
                key,
                _pack(payload),
            ),
        )
        return link

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
            StoreError: If there is no such document, or the store is
                locked or damaged.
            InvalidRevisionError: As :meth:`revtrack.Document.update`.
            ChronologyError: As :meth:`revtrack.Document.update`.

        .. versionadded:: 0.1.0
        """
        with self._errors(), self._transaction():
            row = self._document_row(id)
            key, count, head = row[0], row[5], row[6]
            rows = self._meta_rows(key, [count] if count else [])
            last = rows[count] if count else None
            tip = (
                None
                if last is None
                else _Tip(count, _revision_at(last, id), head)
            )
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
            previous_link = _link(last) if last is not None else None
            base = skip_base(previous_link)
            base_link, base_text = None, None
            if base is not None:
                base_text = self._texts(key, id, [base])[base]
                base_link = _link(self._meta_rows(key, [base])[base])
            self._insert(key, revision, base_text, base_link)
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
            StoreError: If there is no such document.

        .. versionadded:: 0.1.0
        """
        with self._errors(), self._transaction():
            row = self._document_row(id)
            self._db.execute("DELETE FROM revisions WHERE doc = ?", (row[0],))
            self._db.execute("DELETE FROM documents WHERE key = ?", (row[0],))
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

    def _meta_rows(
        self, key: int, numbers: Iterable[int] | None = None
    ) -> dict[int, tuple[Any, ...]]:
        if numbers is None:
            rows = self._db.execute(
                f"SELECT {_META_COLUMNS} FROM revisions"  # noqa: S608
                " WHERE doc = ? ORDER BY number",
                (key,),
            ).fetchall()
        else:
            wanted = sorted(set(numbers))
            rows = []
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows += self._db.execute(
                    f"SELECT {_META_COLUMNS} FROM revisions"  # noqa: S608
                    " WHERE doc = ? AND number IN"
                    f" ({','.join('?' * len(chunk))})",
                    (key, *chunk),
                ).fetchall()
        return {row[0]: tuple(row) for row in rows}

    def _texts(
        self, key: int, doc_id: str, numbers: Iterable[int]
    ) -> dict[int, str]:
        """Rebuild the texts of *numbers*, reading each chain once."""
        heads = self._meta_rows(key, numbers)
        needed: set[int] = set()
        for number, row in heads.items():
            needed.update(_chain(number, row[9]))
        wanted = sorted(needed)
        rows: dict[int, tuple[Any, ...]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for row in self._db.execute(
                f"SELECT {_META_COLUMNS}, payload FROM revisions"  # noqa: S608
                f" WHERE doc = ? AND number IN ({','.join('?' * len(chunk))})",
                (key, *chunk),
            ):
                rows[row[0]] = tuple(row)
        texts: dict[int, str] = {}
        for number in wanted:
            texts[number] = self._rebuild(rows, number, texts, doc_id)
        return texts

    def _rebuild(
        self,
        rows: dict[int, tuple[Any, ...]],
        number: int,
        texts: dict[int, str],
        doc_id: str,
    ) -> str:
        row = rows.get(number)
        if row is None:
            msg = (
                f"revision {number} of {doc_id!r} is missing; the store is "
                f"damaged"
            )
            raise IntegrityError(msg, revision=number)
        segment, base, size = row[9], row[10], row[13]
        position = number - segment if type(segment) is int else -1
        expected = (
            None if position == 0 else segment + (position & (position - 1))
        )
        # A damaged link could loop or jump: skip-deltas fix it exactly.
        if position < 0 or base != expected or type(size) is not int:
            msg = (
                f"revision {number} of {doc_id!r} has a damaged chain link "
                f"(segment {segment!r}, base {base!r}); the store is damaged"
            )
            raise IntegrityError(msg, revision=number)
        try:
            raw = inflate(
                bytes(row[14]),
                limit=min(
                    self._limits.max_size,
                    size if base is None else 6 * size + 64,
                ),
            )
            if base is None:
                return raw.decode("utf-8")
            return apply_delta(
                texts[base],
                json.loads(raw),
                limit=self._limits.max_size,
            )
        except (FormatError, ValueError, KeyError) as exc:
            msg = (
                f"revision {number} of {doc_id!r} cannot be rebuilt ({exc}); "
                f"the store is damaged"
            )
            raise IntegrityError(msg, revision=number) from exc

    def _revision(
        self, row: tuple[Any, ...], text: str, doc_id: str
    ) -> Revision:
        number = row[0]
        try:
            return Revision(
                number,
                text,
                _revision_at(row, doc_id),
                row[3],
                row[4],
                row[5],
                json.loads(row[6]) if row[6] is not None else None,
                bytes(row[7]).hex(),
                bytes(row[8]).hex(),
            )
        except (InvalidRevisionError, ValueError, TypeError) as exc:
            msg = (
                f"revision {number} of {doc_id!r} has damaged fields "
                f"({exc}); the store is damaged"
            )
            raise IntegrityError(msg, revision=number) from exc

    def get(self, id: str) -> Document:  # noqa: A002
        """
        Return the document stored as *id*, checked.

        Every digest and chain digest is verified, and the document's own
        digest over its fields and revision count.

        >>> store = SQLiteStore(":memory:")
        >>> store.get("missing")
        Traceback (most recent call last):
        ...
        revtrack.exceptions.StoreError: no document 'missing' in ...

        Raises:
            StoreError: If there is no such document.
            IntegrityError: Naming the first revision that does not match
                (``revision=0`` for the document's own fields).

        .. versionadded:: 0.1.0
        """
        with self._errors():
            row = self._document_row(id)
            key, count = row[0], row[5]
            meta = self._meta_rows(key)
            if sorted(meta) != list(range(1, count + 1)):
                missing = next(
                    (n for n in range(1, count + 2) if n not in meta), 0
                )
                msg = (
                    f"{id!r} should have revisions 1 to {count}, but "
                    f"revision {missing} is missing or extra; the store is "
                    f"damaged"
                )
                raise IntegrityError(msg, revision=missing)
            texts = self._texts(key, id, range(1, count + 1))
        revisions = []
        parent = None
        for number in range(1, count + 1):
            revision = self._revision(meta[number], texts[number], id)
            verify_revision(revision, parent, id)
            parent = revision.chain_digest
            revisions.append(revision)
        digest = header_digest(
            row[1],
            row[2],
            row[3],
            allow_backwards=bool(row[4]),
            count=count,
            head=parent or "",
        )
        if digest != row[7] or (parent or "") != row[6]:
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
                verify=False,
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
            return self._checked(key, id, [number])[0]

    def _checked(
        self, key: int, doc_id: str, numbers: list[int]
    ) -> list[Revision]:
        texts = self._texts(key, doc_id, numbers)
        parents = {n - 1 for n in numbers if n > 1}
        meta = self._meta_rows(key, [*numbers, *parents])
        result = []
        for number in numbers:
            revision = self._revision(meta[number], texts[number], doc_id)
            parent = bytes(meta[number - 1][8]).hex() if number > 1 else None
            verify_revision(revision, parent, doc_id)
            result.append(revision)
        return result

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
            StoreError: If there is no such document.
            InvalidRevisionError: If a bound is not an aware time.

        .. versionadded:: 0.1.0
        """
        low, high = (
            None if value is None else epoch_micros(_bound(value))
            for value in (since, until)
        )
        with self._errors():
            row = self._document_row(id)
            meta = self._meta_rows(row[0])
            numbers = [
                number
                for number, fields in sorted(meta.items())
                if (
                    low is None
                    or epoch_micros(_revision_at(fields, id)) >= low
                )
                and (
                    high is None
                    or epoch_micros(_revision_at(fields, id)) < high
                )
            ]
            return tuple(self._checked(row[0], id, numbers))


def _bound(value: str | dt.datetime | dt.date) -> dt.datetime:
    try:
        return parse_timestamp(value)
    except FormatError as exc:
        raise InvalidRevisionError(str(exc)) from exc


def _link(row: tuple[Any, ...]) -> Link:
    return Link(row[0], row[9], row[10], row[11], row[12])


def _revision_at(row: tuple[Any, ...], doc_id: str) -> pendulum.DateTime:
    try:
        return restore_timestamp(row[1], row[2])
    except (FormatError, TypeError) as exc:
        msg = (
            f"revision {row[0]} of {doc_id!r} has a damaged time "
            f"{row[1]!r}; the store is damaged"
        )
        raise IntegrityError(msg, revision=row[0]) from exc


def _chain(number: int, segment: object) -> list[int]:
    """Return the numbers that rebuilding *number* reads, snapshot first."""
    if type(segment) is not int or not 1 <= segment <= number:
        return [number]  # _rebuild reports the damaged link
    position = number - segment
    chain = [number]
    while position:
        position &= position - 1
        chain.append(segment + position)
    return chain[::-1]


def _within(micros: int, low: int | None, high: int | None) -> bool:
    return (low is None or micros >= low) and (high is None or micros < high)


@attrs.frozen
class _Tip:
    """The end of a stored chain: all that appending needs of it."""

    number: int
    at: pendulum.DateTime
    chain_digest: str
