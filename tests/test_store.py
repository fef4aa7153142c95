"""The Store protocol and SQLiteStore."""

from __future__ import annotations

import contextlib
import errno
import fractions
import hashlib
import itertools
import json
import lzma
import multiprocessing
import os
import resource
import shutil
import signal
import sqlite3
import tempfile
import tracemalloc
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import (
    Document,
    SQLiteStore,
    Store,
    _formats,
    _store,
    _time,
)
from revtrack.exceptions import (
    ChronologyError,
    DiskError,
    DocumentNotFoundError,
    FormatError,
    IntegrityError,
    InvalidRevisionError,
    RevisionNotFoundError,
    StoreError,
)

from .corpora import NAMES
from .strategies import stored_documents

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from multiprocessing.queues import Queue

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


_FIRST = revtrack.parse_timestamp("2019-08-01T09:15+01:00")


def _sample(doc_id: str = "quintet", count: int = 3) -> Document:
    doc = Document(doc_id, "Attorneys General", url=f"/{doc_id}")
    doc.publish(
        "Line one.\nLine two, 💩.\r\n" * 20,
        at="2019-07-31T10:30",
        tz="Europe/London",
        meta={"tags": ["a"]},
    )
    for i in range(2, count + 1):
        doc.update(
            f"Line one.\nLine {i}, changed.\r\n" * 20,
            at=_FIRST.add(days=i - 1),
            note=f"Change {i}.",
            author="Ann",
        )
    return doc


def _store_docs(store: SQLiteStore) -> dict[str, Document]:
    return {doc_id: store.get(doc_id) for doc_id in store.ids()}


class TestProtocol:
    """SQLiteStore is a Store."""

    def test_is_store(self, tmp_path: Path) -> None:
        """SQLiteStore has every method the protocol names."""
        with SQLiteStore(tmp_path / "s.db") as store:
            assert isinstance(store, Store)


class TestPutGet:
    """put() and get()."""

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[
            *settings().suppress_health_check,
            HealthCheck.function_scoped_fixture,
        ],
    )
    @given(stored_documents())
    def test_round_trip(self, doc: Document) -> None:
        """A document put in comes back equal."""
        with SQLiteStore(":memory:") as store:
            store.put(doc)
            assert doc == store.get(doc.id)

    def test_many_revisions(self, tmp_path: Path) -> None:
        """A long history with snapshots and deltas comes back whole."""
        doc = _sample(count=80)
        policy = revtrack._compact.ChainPolicy(max_depth=3)
        with SQLiteStore(tmp_path / "s.db", policy=policy) as store:
            store.put(doc)
            assert doc == store.get("quintet")

    def test_put_extends(self, tmp_path: Path) -> None:
        """Putting a longer version of a stored document adds the rest."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample(count=2))
            store.put(_sample(count=5))
            assert _sample(count=5) == store.get("quintet")

    def test_put_diverging(self, tmp_path: Path) -> None:
        """A different history under the same id is refused, unchanged."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample(count=3))
            other = Document("quintet", "Other")
            other.publish("x", at="2019-07-31T10:00Z")
            with pytest.raises(StoreError, match="does not extend"):
                store.put(other)
            assert _sample(count=3) == store.get("quintet")

    def test_put_unverified(self, tmp_path: Path) -> None:
        """A document whose digests fail is not stored."""
        good = _sample()
        bad = attrs.evolve(good.revisions[1], text="tampered")
        doc = Document.from_revisions(
            [good.revisions[0], bad], id="q", title="Q", verify=False
        )
        with SQLiteStore(tmp_path / "s.db") as store:
            with pytest.raises(IntegrityError):
                store.put(doc)
            assert () == store.ids()

    def test_missing(self, tmp_path: Path) -> None:
        """Unknown ids are a DocumentNotFoundError, and change nothing."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample())
            calls: list[Callable[[], object]] = [
                lambda: store.get("x"),
                lambda: store.revision("x", 1),
                lambda: store.delete("x"),
                lambda: store.append("x", "t", at="2020-01-01T00:00Z"),
            ]
            for call in calls:
                with pytest.raises(DocumentNotFoundError, match="no document"):
                    call()
            assert (("quintet",), _sample()) == (
                store.ids(),
                store.get("quintet"),
            )
        assert issubclass(DocumentNotFoundError, StoreError)
        assert issubclass(DocumentNotFoundError, LookupError)


def _edits(count: int) -> Document:
    """Return a history of *count* revisions, each changing one line."""
    lines = [
        f"Line {i} of the guidance, as first published.\n" for i in range(99)
    ]
    doc = Document("quintet", "Attorneys General")
    doc.publish("".join(lines), at=_FIRST)
    for i in range(2, count + 1):
        lines[i % 99] = f"Line {i % 99} of the guidance, changed in {i}.\n"
        doc.update("".join(lines), at=_FIRST.add(days=i), note=f"Change {i}.")
    return doc


def _chunk_rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT first, last, seg, seq, base, depth, span FROM chunks"
            " ORDER BY first"
        ).fetchall()


class TestChains:
    """Chunks chain forward in runs, within the policy's bounds."""

    def test_runs_chain_forward(self, tmp_path: Path) -> None:
        """A chunk continuing a run deltas against the revision before it."""
        doc = _edits(40)
        policy = revtrack.ChainPolicy(max_depth=20, chunk_size=4)
        with SQLiteStore(tmp_path / "s.db", policy=policy) as store:
            store.put(doc)
            back = [store.revision("quintet", n) for n in range(1, 41)]
        rows = _chunk_rows(tmp_path / "s.db")
        continued = [
            row[4]
            for before, row in itertools.pairwise(rows)
            if row[3] == before[3] and row[2] == before[2]
        ]
        expected_bases = [
            row[0] - 1
            for before, row in itertools.pairwise(rows)
            if row[3] == before[3] and row[2] == before[2]
        ]
        assert expected_bases == continued
        assert len(continued) >= len(rows) // 2
        assert all(row[5] + row[1] - row[0] <= 20 for row in rows)
        assert list(doc.revisions) == back

    def test_runs_skip_back(self, tmp_path: Path) -> None:
        """When a run is full, the next starts on an earlier run's head."""
        doc = _edits(40)
        policy = revtrack.ChainPolicy(max_depth=6, chunk_size=3)
        with SQLiteStore(tmp_path / "s.db", policy=policy) as store:
            store.put(doc)
            back = [store.revision("quintet", n) for n in range(1, 41)]
            assert doc == store.get("quintet")
        rows = _chunk_rows(tmp_path / "s.db")
        heads = {row[0] for row in rows}
        skips = [
            row for row in rows if row[4] is not None and row[4] != row[0] - 1
        ]
        assert skips
        assert all(row[4] in heads for row in skips)
        depth_of = {row[0]: row[5] for row in rows}
        assert [depth_of[row[4]] + 1 for row in skips] == [
            row[5] for row in skips
        ]
        assert all(row[5] + row[1] - row[0] <= 6 for row in rows)
        assert list(doc.revisions) == back

    def test_extending_places_the_same(self, tmp_path: Path) -> None:
        """Putting a history a revision at a time stores the same chunks."""
        doc = _edits(30)
        policy = revtrack.ChainPolicy(max_depth=8, chunk_size=3)
        with SQLiteStore(tmp_path / "whole.db", policy=policy) as store:
            store.put(doc)
        with SQLiteStore(tmp_path / "steps.db", policy=policy) as store:
            for count in range(1, 31):
                store.put(_edits(count))
            assert doc == store.get("quintet")
        expected = _chunk_rows(tmp_path / "whole.db")
        assert expected == _chunk_rows(tmp_path / "steps.db")

    def test_heads_in_either_codec(self, tmp_path: Path) -> None:
        """Head deltas are written as zlib and read in zlib or LZMA2."""
        path = tmp_path / "s.db"
        doc = _edits(40)
        policy = revtrack.ChainPolicy(max_depth=6, chunk_size=3)
        with SQLiteStore(path, policy=policy) as store:
            store.put(doc)
        with sqlite3.connect(path) as db:
            heads = db.execute(
                "SELECT first, head FROM chunks WHERE base IS NOT NULL"
            ).fetchall()
            assert heads
            assert all(zlib.decompress(head) for _, head in heads)
            for first, head in heads:
                db.execute(
                    "UPDATE chunks SET head = ? WHERE first = ?",
                    (_store._pack(zlib.decompress(head)), first),
                )
        with SQLiteStore(path) as store:
            back = [store.revision("quintet", n) for n in range(1, 41)]
            assert doc == store.get("quintet")
        assert list(doc.revisions) == back

    @pytest.mark.parametrize(
        ("column", "value"),
        [("head", b"\x00not a delta"), ("seg", 5), ("base", 1)],
    )
    def test_damaged_head(
        self, tmp_path: Path, column: str, value: object
    ) -> None:
        """A damaged head or base names its chunk and changes nothing."""
        path = tmp_path / "s.db"
        _put_edits(path, 12, max_depth=20, chunk_size=4)
        with sqlite3.connect(path) as db:
            db.execute(
                f"UPDATE chunks SET {column} = ? WHERE first = 9",  # noqa: S608
                (value,),
            )
        before = path.read_bytes()
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.revision("quintet", 10)
            assert 9 <= info.value.revision <= 10
            assert _edits(12).revisions[4] == store.revision("quintet", 5)
        assert before == path.read_bytes()


class TestAppend:
    """append() works as Document.update() does, in one transaction."""

    def test_same_as_update(self, tmp_path: Path) -> None:
        """Appending gives the revisions Document.update() would."""
        doc = _sample(count=1)
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
            for i in range(2, 30):
                kind: dict[str, Any] = (
                    {"minor": True} if i % 3 else {"note": f"N{i}."}
                )
                text = f"Line one.\nLine {i}.\n" * (i % 7 + 1)
                when = f"2019-08-{i:02}T09:15+01:00"
                stored = store.append("quintet", text, at=when, **kind)
                assert doc.update(text, at=when, **kind) == stored
            assert doc == store.get("quintet")

    def test_first_publication(self, tmp_path: Path) -> None:
        """Appending to an empty document publishes it."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(Document("d", "T"))
            store.append("d", "a", at="2019-07-31T10:00Z", note="Hello.")
            assert ["a"] == [r.text for r in store.get("d").revisions]

    @pytest.mark.parametrize(
        ("options", "error"),
        [
            ({"note": None}, InvalidRevisionError),
            ({"minor": True, "note": "x"}, InvalidRevisionError),
            ({"minor": True, "republish": True}, InvalidRevisionError),
            ({"at": "2001-01-01T00:00Z", "note": "x"}, ChronologyError),
            ({"at": "2020-01-01", "note": "x"}, InvalidRevisionError),
        ],
    )
    def test_refused(
        self, tmp_path: Path, options: dict[str, Any], error: type[Exception]
    ) -> None:
        """A refused append changes nothing."""
        arguments: dict[str, Any] = {"at": "2020-01-01T00:00Z", **options}
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample())
            with pytest.raises(error):
                store.append("quintet", "new", **arguments)
            assert _sample() == store.get("quintet")

    def test_unknown(self, tmp_path: Path) -> None:
        """Appending to an unknown id is a StoreError."""
        with (
            SQLiteStore(tmp_path / "s.db") as store,
            pytest.raises(StoreError),
        ):
            store.append("x", "t", at="2020-01-01T00:00Z", note="n")


class TestQueries:
    """ids(), find(), revision(), revisions(), delete()."""

    def test_ids_and_find(self, tmp_path: Path) -> None:
        """Documents are listed and found by URL and title."""
        with SQLiteStore(tmp_path / "s.db") as store:
            for name in ("b", "a", "c"):
                store.put(_sample(name))
            assert (
                ("a", "b", "c"),
                ("b",),
                ("a", "b", "c"),
                ("c",),
                (),
            ) == (
                store.ids(),
                store.find(url="/b"),
                store.find(title="Attorneys General"),
                store.find(url="/c", title="Attorneys General"),
                store.find(title="Nothing"),
            )
            with pytest.raises(StoreError, match="needs"):
                store.find()

    def test_revision(self, tmp_path: Path) -> None:
        """Any revision reads alone, by number or from the end."""
        doc = _sample(count=40)
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
            got = [store.revision("quintet", n) for n in range(1, 41)]
            assert list(doc.revisions) == got
            assert doc.revisions[-2] == store.revision("quintet", -2)
            for bad in (0, 41, -41):
                with pytest.raises(RevisionNotFoundError):
                    store.revision("quintet", bad)

    def test_time_range(self, tmp_path: Path) -> None:
        """revisions() returns those made at or after since, before until."""
        doc = _sample(count=6)
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
            got = store.revisions(
                "quintet",
                since="2019-08-02T09:15+01:00",
                until="2019-08-05T09:15+01:00",
            )
            assert [2, 3, 4] == [r.number for r in got]
            assert list(doc.revisions) == list(store.revisions("quintet"))

    def test_delete(self, tmp_path: Path) -> None:
        """A deleted document is gone; the others stay."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample("a"))
            store.put(_sample("b"))
            store.delete("a")
            assert (("b",), _sample("b")) == (store.ids(), store.get("b"))


class TestFiles:
    """Opening files that are not revtrack stores, and reopening ours."""

    def test_closed(self, tmp_path: Path) -> None:
        """A closed store says so, not that its file is damaged."""
        path = tmp_path / "s.db"
        store = SQLiteStore(path)
        store.put(_sample())
        store.close()
        calls: list[Callable[[], object]] = [
            lambda: store.get("quintet"),
            lambda: store.revision("quintet", 1),
            store.ids,
            lambda: store.append("quintet", "x", at=_FIRST.add(days=9)),
        ]
        for call in calls:
            with pytest.raises(StoreError, match="was closed") as info:
                call()
            assert "damaged" not in str(info.value)
        with SQLiteStore(path) as again:
            assert _sample() == again.get("quintet")

    def test_reopen(self, tmp_path: Path) -> None:
        """A closed store opens again with the same documents."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample())
        with SQLiteStore(tmp_path / "s.db") as store:
            assert _sample() == store.get("quintet")

    def test_wal(self, tmp_path: Path) -> None:
        """The store uses write-ahead logging."""
        with SQLiteStore(tmp_path / "s.db"):
            db = sqlite3.connect(tmp_path / "s.db")
            assert ("wal",) == db.execute("PRAGMA journal_mode").fetchone()
            db.close()

    def test_other_database(self, tmp_path: Path) -> None:
        """A SQLite file of another application is refused, unchanged."""
        path = tmp_path / "other.db"
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE people (name TEXT)")
        db.commit()
        db.close()
        before = path.read_bytes()
        with pytest.raises(StoreError, match="not a revtrack store"):
            SQLiteStore(path)
        assert before == path.read_bytes()

    def test_not_sqlite(self, tmp_path: Path) -> None:
        """A file that is not SQLite at all is refused, unchanged."""
        path = tmp_path / "notes.txt"
        path.write_bytes(b"Dear diary, " * 400)
        with pytest.raises(StoreError):
            SQLiteStore(path)
        assert b"Dear diary, " * 400 == path.read_bytes()

    def test_newer_schema(self, tmp_path: Path) -> None:
        """A store written by a newer schema names that version."""
        path = tmp_path / "s.db"
        SQLiteStore(path).close()
        db = sqlite3.connect(path)
        db.execute("UPDATE revtrack_meta SET value = '9' WHERE key = 'schema'")
        db.commit()
        db.close()
        with pytest.raises(StoreError, match="schema version 9"):
            SQLiteStore(path)

    def test_locked(self, tmp_path: Path) -> None:
        """A writer held up past the timeout gets a StoreError."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with (
                SQLiteStore(path, timeout=0.05) as store,
                pytest.raises(StoreError, match="locked"),
            ):
                store.append("quintet", "x", at="2020-01-01T00:00Z", note="n")
        finally:
            other.execute("ROLLBACK")
            other.close()
        with SQLiteStore(path) as store:
            assert _sample() == store.get("quintet")

    def test_damaged_payload(self, tmp_path: Path) -> None:
        """A changed stored text is named by its revision on reading."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=4))
        db = sqlite3.connect(path)
        first, packed = db.execute(
            "SELECT first, fields FROM chunks WHERE first <= 3"
            " ORDER BY first DESC LIMIT 1"
        ).fetchone()
        fields = json.loads(_store._unpack(packed, limit=1 << 20))
        fields[3 - first][3] = "Sneaky."
        db.execute(
            "UPDATE chunks SET fields = ? WHERE first = ?",
            (_store._pack(json.dumps(fields).encode()), first),
        )
        db.commit()
        db.close()
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.get("quintet")
            assert 3 == info.value.revision
            with pytest.raises(IntegrityError) as info:
                store.revision("quintet", 3)
            assert 3 == info.value.revision
            assert _sample(count=4).revisions[3] == store.revision(
                "quintet", 4
            )

    def test_version_1_migrates(self, tmp_path: Path) -> None:
        """A store in the version 1 layout opens as the current, unchanged."""
        path = tmp_path / "s.db"
        doc = _sample(count=5)
        _write_v1(path, [doc], deltas=False)
        with SQLiteStore(path) as store:
            assert doc == store.get("quintet")
            store.append("quintet", "More.", at="2020-01-01T00:00Z", note="M.")
        db = sqlite3.connect(path)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema")}
        version = db.execute(
            "SELECT value FROM revtrack_meta WHERE key = 'schema'"
        ).fetchone()
        db.close()
        assert ((str(_store.SCHEMA_VERSION),), False) == (
            version,
            "revisions" in tables,
        )
        with SQLiteStore(path) as store:
            assert 6 == len(store.get("quintet").revisions)

    def test_version_2_migrates(self, tmp_path: Path) -> None:
        """A store in the version 2 layout opens as the current, unchanged."""
        path = tmp_path / "s.db"
        doc = _sample(count=5)
        policy = revtrack.ChainPolicy(chunk_size=2)
        with SQLiteStore(path, policy=policy) as store:
            store.put(doc)
            store.put(_sample("other", 3))
        _to_v2(path)
        with SQLiteStore(path) as store:
            assert doc == store.get("quintet")
            assert doc.revisions[2] == store.revision("quintet", 3)
            store.append("quintet", "More.", at="2020-01-01T00:00Z", note="M.")
        db = sqlite3.connect(path)
        version = db.execute(
            "SELECT value FROM revtrack_meta WHERE key = 'schema'"
        ).fetchone()
        db.close()
        assert (str(_store.SCHEMA_VERSION),) == version
        with SQLiteStore(path) as store:
            assert _sample("other", 3) == store.get("other")
            assert 6 == len(store.get("quintet").revisions)

    def test_damaged_version_2_is_left_alone(self, tmp_path: Path) -> None:
        """A version 2 chunk that does not inflate stops the migration."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=3))
        _to_v2(path)
        db = sqlite3.connect(path)
        db.execute("UPDATE chunks SET body = ?", (_store._pack(b"[1]"),))
        db.commit()
        db.close()
        before = _dump_sql(path)
        with pytest.raises(IntegrityError) as info:
            SQLiteStore(path)
        assert (1, before) == (info.value.revision, _dump_sql(path))

    @pytest.mark.parametrize("column", ["title", "url", "head_chain"])
    def test_value_of_another_type(self, tmp_path: Path, column: str) -> None:
        """A document field damaged into a blob is an IntegrityError."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        db = sqlite3.connect(path)
        db.execute(f"UPDATE documents SET {column} = X'6869'")  # noqa: S608
        db.commit()
        db.close()
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            for read in (
                lambda: store.get("quintet"),
                lambda: store.revision("quintet", 1),
            ):
                with pytest.raises(IntegrityError) as info:
                    read()
                assert 0 == info.value.revision
        assert before == _dump_sql(path)

    def test_vanished_document(self, tmp_path: Path) -> None:
        """A document row that disappears is noticed by ids()."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("a"))
            store.put(_sample("b"))
        db = sqlite3.connect(path)
        db.execute("DELETE FROM documents WHERE id = 'a'")
        db.commit()
        db.close()
        with SQLiteStore(path) as store, pytest.raises(StoreError):
            store.ids()

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[
            *settings().suppress_health_check,
            HealthCheck.function_scoped_fixture,
        ],
    )
    @given(st.data())
    def test_flipped_byte(self, tmp_path: Path, data: st.DataObject) -> None:
        """
        A flipped byte anywhere in the file is a typed error or harmless.

        Harmless means every document reads back equal: the byte was in
        free space or in bookkeeping SQLite does not need.
        """
        original = _flip_template(tmp_path)
        where = data.draw(st.integers(0, len(original) - 1))
        damaged = bytearray(original)
        damaged[where] ^= data.draw(st.integers(1, 255))
        path = tmp_path / f"flip{where}.db"
        path.write_bytes(bytes(damaged))
        try:
            with SQLiteStore(path) as store:
                docs = _store_docs(store)
        except (StoreError, FormatError):
            return
        finally:
            path.unlink()
            for extra in ("-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
        assert {"a": _sample("a"), "b": _sample("b", 6)} == docs


def _put_edits(path: Path, count: int, **policy: int) -> revtrack.ChainPolicy:
    """Store ``_edits(count)`` at *path* under a chain policy; return it."""
    chain = revtrack.ChainPolicy(**policy)
    with SQLiteStore(path, policy=chain) as store:
        store.put(_edits(count))
    return chain


def _dump_sql(path: Path) -> list[str]:
    """Return the SQL that rebuilds the database at *path*."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def _assert_damage_named(
    path: Path, read: Callable[[SQLiteStore], object], revision: int
) -> None:
    """Check *read* names *revision* of 'quintet' and changes no byte."""
    before = _dump_sql(path)
    with SQLiteStore(path) as store, pytest.raises(IntegrityError) as info:
        read(store)
    assert (revision, True) == (
        info.value.revision,
        "'quintet'" in str(info.value),
    )
    assert before == _dump_sql(path)


def _to_v2(path: Path) -> None:
    """Rewrite a store as version 2 kept it: fields and deltas in one body."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    for first, doc, body, fields in db.execute(
        "SELECT first, doc, body, fields FROM chunks"
    ).fetchall():
        value = [
            json.loads(_store._unpack(fields, limit=1 << 20)),
            json.loads(_store._unpack(body, limit=1 << 20)),
        ]
        db.execute(
            "UPDATE chunks SET body = ? WHERE doc = ? AND first = ?",
            (_store._pack(json.dumps(value).encode()), doc, first),
        )
    db.execute("ALTER TABLE chunks DROP COLUMN fields")
    db.execute("UPDATE revtrack_meta SET value = '2' WHERE key = 'schema'")
    db.close()


def _flip_template(tmp_path: Path) -> bytes:
    path = tmp_path / "template.db"
    if not path.exists():
        with SQLiteStore(path) as store:
            store.put(_sample("a"))
            store.put(_sample("b", 6))
    return path.read_bytes()


def _appender(path: str, tag: str, count: int) -> None:
    with SQLiteStore(path) as store:
        for i in range(count):
            store.append(
                "shared",
                f"{tag} {i}\n" * 50,
                at="2020-01-01T00:00Z",
                note=f"{tag} {i}",
            )


def _killed_writer(path: str, queue: Queue[int]) -> None:
    big = "".join(f"line {i} of a long text\n" for i in range(20_000))
    with SQLiteStore(path) as store:
        for i in range(10_000):
            revision = store.append(
                "victim",
                big + f"edit {i}\n",
                at="2020-01-01T00:00Z",
                note=f"Edit {i}.",
            )
            queue.put(revision.number)


class TestConcurrency:
    """Processes sharing a store."""

    def test_two_writers(self, tmp_path: Path) -> None:
        """Two processes appending at once lose nothing, chain whole."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            doc = Document("shared", "Shared", allow_backwards=True)
            doc.publish("start", at="2020-01-01T00:00Z")
            store.put(doc)
        context = multiprocessing.get_context("spawn")
        workers = [
            context.Process(target=_appender, args=(str(path), tag, 25))
            for tag in ("left", "right")
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        assert [0, 0] == [worker.exitcode for worker in workers]
        with SQLiteStore(path) as store:
            result = store.get("shared")
        result.verify()
        notes = [r.note for r in result.revisions[1:]]
        for tag in ("left", "right"):
            assert [f"{tag} {i}" for i in range(25)] == [
                n for n in notes if n and n.startswith(tag)
            ]
        assert 51 == len(result.revisions)

    def test_killed_writer(self, tmp_path: Path) -> None:
        """A writer killed mid-append leaves every committed revision."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(Document("victim", "Victim"))
        context = multiprocessing.get_context("spawn")
        queue: Queue[int] = context.Queue()
        worker = context.Process(
            target=_killed_writer, args=(str(path), queue)
        )
        worker.start()
        committed = [queue.get(timeout=60) for _ in range(15)]
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(30)
        while not queue.empty():
            committed.append(queue.get())
        with SQLiteStore(path) as store:
            doc = store.get("victim")
        doc.verify()
        assert set(committed) <= {r.number for r in doc.revisions}


class TestCorpora:
    """Every revision of every corpus goes in and comes back byte-exact."""

    @pytest.mark.parametrize("name", NAMES)
    def test_corpus(self, tmp_path: Path, name: str) -> None:
        """The texts read back match MANIFEST.json's SHA-256 values."""
        if not CORPORA.is_dir():
            pytest.skip("the corpora folder is absent")
        plain = CORPORA / f"{name}.jsonl"
        source = plain if plain.exists() else CORPORA / f"{name}.jsonl.gz"
        doc = revtrack.read_jsonl(
            source, id=name, title=name, allow_backwards=True
        )
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
        with SQLiteStore(tmp_path / "s.db") as store:
            back = store.get(name)
        manifest = json.loads((CORPORA / "MANIFEST.json").read_text())
        (entry,) = [c for c in manifest["corpora"] if c["name"] == name]
        assert [d["sha256"] for d in entry["revision_details"]] == [
            hashlib.sha256(r.text.encode()).hexdigest() for r in back.revisions
        ]


# -- faults (issue 8): a full disk, no permission, a file replaced, races --


def _noise(i: int, size: int = 4096) -> str:
    """Return *size* characters that compress badly, the same for each i."""
    digests = (
        hashlib.sha256(f"{i}-{j}".encode()).hexdigest()
        for j in range(size // 64 + 1)
    )
    return "".join(digests)[:size]


def _digests(path: Path) -> dict[str, list[str]]:
    """Return every document's chain digests, each document verified."""
    with SQLiteStore(path) as store:
        docs = _store_docs(store)
    for doc in docs.values():
        doc.verify()
    return {i: [r.chain_digest for r in d.revisions] for i, d in docs.items()}


def _fill_until_full(path: str, queue: Queue[Any]) -> None:
    """Append under a small file size limit until a write fails."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
    committed: list[int] = []
    with SQLiteStore(path) as store:
        used = sum(
            Path(f"{path}{extra}").stat().st_size
            for extra in ("", "-wal")
            if Path(f"{path}{extra}").exists()
        )
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (used + 24_000, hard))
        errors = []
        try:
            for i in range(2, 200):
                revision = store.append(
                    "quintet", _noise(i), at=_FIRST.add(days=i), note=f"{i}."
                )
                committed.append(revision.number)
        except Exception as exc:  # noqa: BLE001  # the parent judges it
            errors.append(exc)
        try:
            big = Document("big", "Big")
            big.publish(_noise(0, 60_000), at=_FIRST)
            store.put(big)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    queue.put(
        (
            committed,
            [
                (type(e).__name__, str(e), getattr(e, "errno", None))
                for e in errors
            ],
        )
    )


def _spawn(target: Callable[..., None], *args: Any) -> Any:
    """Run *target* in a fresh process and return what it put in a queue."""
    context = multiprocessing.get_context("fork")  # no imports: quick
    queue: Queue[Any] = context.Queue()
    worker = context.Process(target=target, args=(*args, queue))
    worker.start()
    result = queue.get(timeout=60)
    worker.join(30)
    assert 0 == worker.exitcode
    return result


class TestDiskFull:
    """A disk that refuses writes gives DiskError and loses nothing."""

    def test_size_limit(self, tmp_path: Path) -> None:
        """SQLite's own size limit (SQLITE_FULL) is a DiskError, ENOSPC."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=3))
        before = _digests(path)
        big = Document("big", "Big")
        big.publish(_noise(0, 40_000), at=_FIRST)
        with SQLiteStore(path) as store:
            (pages,) = store._db.execute("PRAGMA page_count").fetchone()
            store._db.execute(f"PRAGMA max_page_count = {pages}")
            with pytest.raises(DiskError, match="free some space") as info:
                store.put(big)
            assert errno.ENOSPC == info.value.errno
            with pytest.raises(DiskError):
                store.append(
                    "quintet",
                    _noise(1, 40_000),
                    at=_FIRST.add(days=9),
                    note="Too big.",
                )
            assert (("quintet",), _sample(count=3)) == (
                store.ids(),
                store.get("quintet"),
            )
        assert before == _digests(path)

    def test_file_size_limit(self, tmp_path: Path) -> None:
        """A write failing with EFBIG is a DiskError; commits all survive."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=1))
        committed, errors = _spawn(_fill_until_full, str(path))
        assert ["DiskError", "DiskError"] == [name for name, _, _ in errors]
        assert all(str(path) in message for _, message, _ in errors)
        assert len(committed) >= 1
        with SQLiteStore(path) as store:
            assert ("quintet",) == store.ids()
            doc = store.get("quintet")
        doc.verify()
        assert [1, *committed] == [r.number for r in doc.revisions]
        assert [_noise(n) for n in committed] == [
            r.text for r in doc.revisions[1:]
        ]

    def test_read_only_connection(self, tmp_path: Path) -> None:
        """A refused write (SQLITE_READONLY) is a DiskError; nothing lost."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        before = _digests(path)
        with SQLiteStore(path) as store:
            store._db.execute("PRAGMA query_only = ON")
            with pytest.raises(DiskError, match="permission"):
                store.put(_sample("new"))
            assert _sample() == store.get("quintet")
        assert before == _digests(path)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A store in a folder that does not exist is a DiskError."""
        path = tmp_path / "missing" / "s.db"
        with pytest.raises(DiskError, match="folder to exist") as info:
            SQLiteStore(path)
        assert str(path) in str(info.value)
        assert [] == list(tmp_path.iterdir())


def _try_writes(folder: str) -> list[tuple[str, str, int | None]]:
    """Open a store, create one and dump a file in a read-only *folder*."""
    doc = _sample()
    attempts: list[Callable[[], object]] = [
        lambda: SQLiteStore(Path(folder, "s.db")),
        lambda: SQLiteStore(Path(folder, "new.db")),
        lambda: revtrack.dump(doc, Path(folder, "d.json")),
    ]
    out = []
    for attempt in attempts:
        try:
            attempt()
        except Exception as exc:  # noqa: BLE001  # the test judges it
            out.append(
                (type(exc).__name__, str(exc), getattr(exc, "errno", None))
            )
        else:
            out.append(("no error", "", None))
    return out


def _as_nobody(folder: str, queue: Queue[Any]) -> None:
    """Run _try_writes as the unprivileged user 65534."""
    try:
        os.setgid(65534)
        os.setuid(65534)
    except PermissionError:
        queue.put(None)
        return
    queue.put(_try_writes(folder))


@pytest.fixture
def readable_folder() -> Iterator[Path]:
    """A folder any user may read, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="revtrack-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


class TestPermissionDenied:
    """A read-only store file and folder give DiskError naming the path."""

    def test_read_only(self, readable_folder: Path) -> None:
        """Opening, creating and dumping are refused; nothing changes."""
        path = readable_folder / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        revtrack.dump(_sample(count=2), readable_folder / "d.json")
        before = _digests(path)
        old_dump = (readable_folder / "d.json").read_bytes()
        for file in readable_folder.iterdir():
            file.chmod(0o444)
        readable_folder.chmod(0o555)
        if os.geteuid() == 0:  # root writes through chmod; drop to nobody
            results = _spawn(_as_nobody, str(readable_folder))
            if results is None:
                pytest.skip("cannot switch to an unprivileged user here")
        else:
            results = _try_writes(str(readable_folder))
        readable_folder.chmod(0o755)
        names = [name for name, _, _ in results]
        assert ["DiskError"] * 3 == names
        for (_, message, _), name in zip(
            results, ("s.db", "new.db", "d.json"), strict=True
        ):
            assert str(readable_folder / name) in message
        assert "permission" in results[0][1]
        assert errno.EACCES == results[2][2]
        assert before == _digests(path)
        assert old_dump == (readable_folder / "d.json").read_bytes()
        assert not (readable_folder / "new.db").exists()


def _replace(path: Path, how: str, tmp_path: Path) -> None:
    if how == "deleted":
        path.unlink()
        return
    other = tmp_path / "other.db"
    if how == "store":
        with SQLiteStore(other) as store:
            store.put(_sample("other", 2))
    else:
        other.write_bytes(b"not a store at all " * 300)
    other.replace(path)


class TestFileReplaced:
    """The file of an open store replaced or deleted under it."""

    @pytest.mark.parametrize("how", ["store", "garbage", "deleted"])
    def test_reader_refuses(self, tmp_path: Path, how: str) -> None:
        """Every later call is a StoreError; nothing mixes or is lost."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("a"))
        reader = SQLiteStore(path)
        assert _sample("a") == reader.get("a")
        _replace(path, how, tmp_path)
        calls: list[Callable[[], object]] = [
            reader.ids,
            lambda: reader.get("a"),
            lambda: reader.revision("a", 1),
            lambda: reader.revisions("a"),
            lambda: reader.find(title="Attorneys General"),
            lambda: reader.append("a", "x", at=_FIRST.add(days=9), note="X"),
            lambda: reader.put(_sample("b")),
            lambda: reader.delete("a"),
        ]
        for call in calls:
            with pytest.raises(StoreError, match="replaced or deleted"):
                call()
        reader.close()
        if how == "store":
            assert {"other": _sample("other", 2)} == _store_docs(
                SQLiteStore(path)
            )
        elif how == "garbage":
            with pytest.raises(StoreError, match="not a revtrack store"):
                SQLiteStore(path)
            assert b"not a store at all " * 300 == path.read_bytes()
        else:
            assert not path.exists()


class TestFileStaysPut:
    """A store whose file stays where it was keeps working."""

    def test_relative_path_after_chdir(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Changing directory is not mistaken for a replaced file."""
        monkeypatch.chdir(tmp_path)
        with SQLiteStore("s.db") as store:
            store.put(_sample())
            (tmp_path / "elsewhere").mkdir()
            monkeypatch.chdir(tmp_path / "elsewhere")
            store.append("quintet", "x", at=_FIRST.add(days=9), note="X.")
            assert 4 == len(store.get("quintet").revisions)


def _putter(path: str, tag: str, queue: Queue[Any]) -> None:
    """Put documents of its own and the same shared one, interleaved."""
    with SQLiteStore(path) as store:
        for i in range(8):
            store.put(_sample(f"{tag}-{i}", 2))
            store.put(_sample("shared", 9))  # the first creates it
    queue.put(tag)


def _append_then_put(path: str, tag: str, queue: Queue[Any]) -> None:
    """Append to a shared document and put new ones, interleaved."""
    with SQLiteStore(path) as store:
        for i in range(8):
            store.append(
                "log", f"{tag} {i}\n" * 30, at=_FIRST, note=f"{tag} {i}"
            )
            store.put(_sample(f"{tag}-{i}", 2))
    queue.put(tag)


class TestWriterRaces:
    """Writers in two processes, and a writer kept waiting too long."""

    def test_put_put(self, tmp_path: Path) -> None:
        """Two processes putting the same and their own documents both land."""
        path = tmp_path / "s.db"
        SQLiteStore(path).close()
        context = multiprocessing.get_context("fork")
        queue: Queue[Any] = context.Queue()
        workers = [
            context.Process(target=_putter, args=(str(path), name, queue))
            for name in ("left", "right")
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [0, 0] == [worker.exitcode for worker in workers]
        with SQLiteStore(path) as store:
            assert {
                "shared": _sample("shared", 9),
                **{
                    f"{tag}-{i}": _sample(f"{tag}-{i}", 2)
                    for tag in ("left", "right")
                    for i in range(8)
                },
            } == _store_docs(store)

    def test_put_append(self, tmp_path: Path) -> None:
        """Puts and appends racing from two processes lose nothing."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            doc = Document("log", "Log", allow_backwards=True)
            doc.publish("start", at=_FIRST)
            store.put(doc)
        context = multiprocessing.get_context("fork")
        queue: Queue[Any] = context.Queue()
        workers = [
            context.Process(
                target=_append_then_put, args=(str(path), tag, queue)
            )
            for tag in ("up", "down")
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [0, 0] == [worker.exitcode for worker in workers]
        with SQLiteStore(path) as store:
            docs = _store_docs(store)
        notes = [r.note or "" for r in docs.pop("log").revisions[1:]]
        for tag in ("up", "down"):
            assert [f"{tag} {i}" for i in range(8)] == [
                n for n in notes if n.startswith(tag)
            ]
        assert {
            f"{tag}-{i}": _sample(f"{tag}-{i}", 2)
            for tag in ("up", "down")
            for i in range(8)
        } == docs

    @pytest.mark.parametrize("operation", ["put", "append", "delete"])
    def test_held_write(self, tmp_path: Path, operation: str) -> None:
        """A writer kept out past its timeout is told to retry; no loss."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        before = _digests(path)
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "put": lambda s: s.put(_sample("new")),
            "append": lambda s: s.append(
                "quintet", "x", at=_FIRST.add(days=9), note="X."
            ),
            "delete": lambda s: s.delete("quintet"),
        }
        with (
            SQLiteStore(path) as holder,
            SQLiteStore(path, timeout=0.05) as waiter,
        ):
            with holder._transaction():
                holder._db.execute(
                    "UPDATE documents SET title = title WHERE 0"
                )
                with pytest.raises(StoreError, match="try again") as info:
                    actions[operation](waiter)
                assert not isinstance(info.value, DiskError)
            assert before == _digests(path)
            actions[operation](waiter)
        assert before != _digests(path)


def _varied(doc_id: str, count: int) -> Document:
    """Return a history using every field: zones, authors, meta, kinds."""
    doc = Document(doc_id, f"Title of {doc_id}", url=f"/{doc_id}")
    doc.publish(
        "Para one.\n\nPara two.\n" * 8,
        at="2019-07-31T10:30",
        tz="Europe/London",
        author="Ann",
        meta={"tags": ["a", "b"], "n": 1},
    )
    for i in range(2, count + 1):
        kinds: list[dict[str, Any]] = [
            {"note": f"Change {i}.", "author": "Bo", "meta": {"i": i}},
            {"minor": True, "tz": "America/New_York"},
            {"republish": True, "author": f"Cy {i}"},
        ]
        doc.update(
            f"Para one.\n\nPara {i}, changed.\n" * 8,
            at=f"2019-08-{i:02}T09:15",
            **{"tz": "Asia/Kolkata", **kinds[i % 3]},
        )
    return doc


def _chunks(path: Path) -> list[tuple[Any, ...]]:
    """Return every chunk row and document row, in a stable order."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return [
            *db.execute(
                "SELECT documents.id, chunks.* FROM chunks JOIN documents"
                " ON documents.key = chunks.doc ORDER BY documents.id, first"
            ).fetchall(),
            *db.execute("SELECT * FROM documents ORDER BY id").fetchall(),
        ]


def _edit_fields(
    path: Path, first: int, change: Callable[[list[list[Any]]], object]
) -> None:
    """Rewrite the fields of chunk *first* through *change*."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        (packed,) = db.execute(
            "SELECT fields FROM chunks WHERE first = ?", (first,)
        ).fetchone()
        fields = json.loads(_store._unpack(packed, limit=1 << 20))
        change(fields)
        db.execute(
            "UPDATE chunks SET fields = ? WHERE first = ?",
            (_store._pack(json.dumps(fields).encode()), first),
        )


_DAMAGES: dict[str, Callable[[Path], None]] = {
    "zone": lambda path: _edit_fields(
        path, 5, lambda f: f[0].__setitem__(1, "Not/AZone")
    ),
    "digest": lambda path: _edit_fields(
        path, 5, lambda f: f[0].__setitem__(6, "0" * 64)
    ),
    "fields": lambda path: _sql(
        path, "UPDATE chunks SET fields = x'00ff' WHERE first = 5"
    ),
    "row": lambda path: _sql(path, "DELETE FROM chunks WHERE first = 5"),
    "seg": lambda path: _sql(
        path, "UPDATE chunks SET seg = 0 WHERE first = 5"
    ),
    "last": lambda path: _sql(
        path, "UPDATE chunks SET last = 4 WHERE first = 5"
    ),
    "base": lambda path: _sql(
        path, "UPDATE chunks SET base = 5 WHERE first = 5"
    ),
    "depth": lambda path: _sql(
        path, "UPDATE chunks SET depth = 'x' WHERE first = 5"
    ),
    "parent": lambda path: _sql(
        path, "UPDATE chunks SET parent = 'x' WHERE first = 5"
    ),
    "head": lambda path: _sql(
        path, "UPDATE chunks SET head = 'x' WHERE first = 5"
    ),
    "text": lambda path: _sql(
        path, "UPDATE chunks SET head = x'00ff' WHERE first = 5"
    ),
}


def _sql(path: Path, statement: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(statement)


class TestAppendOptions:
    """Every option of append() reaches the stored revision."""

    @pytest.mark.parametrize("backwards", [False, True])
    def test_like_update(self, tmp_path: Path, backwards: bool) -> None:
        """The same appends on a Document and a store give equal results."""
        doc = Document("d", "T", allow_backwards=backwards)
        path = tmp_path / "s.db"
        steps: list[tuple[str, dict[str, Any]]] = [
            (
                "2019-07-31T10:30",
                {"tz": "Europe/London", "author": "Ann", "meta": {"k": [1]}},
            ),
            (
                "2019-08-01T09:00",
                {"note": "N.", "tz": "Asia/Kolkata", "author": "Bo"},
            ),
            ("2019-08-02T09:00Z", {"minor": True, "meta": {"why": "typo"}}),
            ("2019-08-03T09:00Z", {"republish": True, "author": "Cy"}),
            ("2019-07-01T09:00Z", {"note": "Back in time."}),
        ]
        with SQLiteStore(path) as store:
            store.put(Document("d", "T", allow_backwards=backwards))
            for i, (at, options) in enumerate(steps):
                text = f"Text {i}.\n" * (i + 2)
                if at < "2019-07-31" and not backwards:
                    with pytest.raises(ChronologyError):
                        store.append("d", text, at=at, **options)
                    continue
                expected = (
                    doc.update(text, at=at, **options)
                    if doc.revisions
                    else doc.publish(text, at=at, **options)
                )
                assert expected == store.append("d", text, at=at, **options)
        with SQLiteStore(path) as store:
            count = len(doc.revisions)
            assert (doc, list(doc.revisions), tuple(doc.revisions)) == (
                store.get("d"),
                [store.revision("d", n) for n in range(1, count + 1)],
                store.revisions("d"),
            )

    def test_places_like_put(self, tmp_path: Path) -> None:
        """Appending a history stores the chunks putting it would."""
        doc = _edits(30)
        policy = revtrack.ChainPolicy(max_depth=6, chunk_size=3)
        with SQLiteStore(tmp_path / "whole.db", policy=policy) as store:
            store.put(doc)
        with SQLiteStore(tmp_path / "steps.db", policy=policy) as store:
            store.put(Document(doc.id, doc.title, url=doc.url))
            for r in doc.revisions:
                note = None if r.number == 1 else r.note
                stored = store.append(doc.id, r.text, at=r.at, note=note)
                assert r == stored
        expected = _chunks(tmp_path / "whole.db")
        assert expected == _chunks(tmp_path / "steps.db")


class TestIdsNamed:
    """An id that is not a str, or not stored, is named in the error."""

    @pytest.mark.parametrize("doc_id", [5, None, b"quintet", "missing"])
    def test_named(self, tmp_path: Path, doc_id: Any) -> None:
        """Every reader and writer names the id it could not use."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample())
        before = _dump_sql(path)
        expected = (
            DocumentNotFoundError if isinstance(doc_id, str) else StoreError
        )
        calls: list[Callable[[SQLiteStore], object]] = [
            lambda s: s.get(doc_id),
            lambda s: s.revision(doc_id, 1),
            lambda s: s.revisions(doc_id),
            lambda s: s.delete(doc_id),
            lambda s: s.append(doc_id, "t", at="2020-01-01T00:00Z", note="N"),
        ]
        with SQLiteStore(path) as store:
            for call in calls:
                with pytest.raises(StoreError) as info:
                    call(store)
                assert (expected, True) == (
                    type(info.value),
                    repr(doc_id) in str(info.value),
                )
        assert before == _dump_sql(path)


class TestNegativeNumbers:
    """revision() counts from the end with -1 to -count."""

    def test_every_negative(self, tmp_path: Path) -> None:
        """-n reads revision count + 1 - n, from -1 to -count."""
        doc = _sample(count=4)
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
            got = [store.revision("quintet", -n) for n in range(1, 5)]
            assert list(reversed(doc.revisions)) == got

    @pytest.mark.parametrize("bad", [0, 5, -5, 1.0, "1"])
    def test_out_of_range(self, tmp_path: Path, bad: object) -> None:
        """A number outside the chain names the document and the number."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample(count=4))
            with pytest.raises(RevisionNotFoundError) as info:
                store.revision("quintet", bad)  # type: ignore[arg-type]
        assert "'quintet'" in str(info.value)
        assert repr(bad) in str(info.value)


class TestDamageNamed:
    """Damage met by any reader names the document and the revision."""

    @pytest.mark.parametrize(
        ("damage", "operation"),
        [
            (damage, operation)
            for damage in sorted(_DAMAGES)
            for operation in ("get", "revision", "revisions", "append", "put")
            # put() reads only the chain digests of the stored history.
            if operation != "put"
            or damage not in {"zone", "digest", "row", "text"}
        ],
    )
    def test_named(self, tmp_path: Path, damage: str, operation: str) -> None:
        """The error says which revision of which document; nothing changes."""
        doc_id = "quintet"
        path = tmp_path / "s.db"
        policy = revtrack.ChainPolicy(chunk_size=2)
        with SQLiteStore(path, policy=policy) as store:
            store.put(_sample("other", 2))
            store.put(_edits(5))
        _DAMAGES[damage](path)
        longer = _edits(6)
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "get": lambda s: s.get(doc_id),
            "revision": lambda s: s.revision(doc_id, 5),
            "revisions": lambda s: s.revisions(doc_id),
            "append": lambda s: s.append(
                doc_id, "x", at=_FIRST.add(days=9), note="X."
            ),
            "put": lambda s: s.put(longer),
        }
        before = _dump_sql(path)
        with SQLiteStore(path, policy=policy) as store:
            with pytest.raises(IntegrityError) as info:
                actions[operation](store)
            assert _sample("other", 2) == store.get("other")
        assert (5, True) == (
            info.value.revision,
            repr(doc_id) in str(info.value),
        )
        assert before == _dump_sql(path)

    @pytest.mark.parametrize(
        ("change", "readers"),
        [
            ("title = 'Changed'", ["get"]),
            ("head_chain = 'ab'", ["get"]),
            ("allow_backwards = 'x'", ["get", "revision", "append"]),
            ("head = 'x'", ["get", "revision", "append"]),
            ("digest = X'00'", ["get", "revision", "append"]),
        ],
    )
    def test_document_row(
        self, tmp_path: Path, change: str, readers: list[str]
    ) -> None:
        """A damaged document row is revision 0 of that document."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("other", 2))
            store.put(_sample("doc 7", 3))
        _sql(path, f"UPDATE documents SET {change} WHERE id = 'doc 7'")  # noqa: S608
        before = _dump_sql(path)
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "get": lambda s: s.get("doc 7"),
            "revision": lambda s: s.revision("doc 7", 2),
            "append": lambda s: s.append(
                "doc 7", "x", at=_FIRST.add(days=9), note="X."
            ),
        }
        with SQLiteStore(path) as store:
            for reader in readers:
                with pytest.raises(IntegrityError) as info:
                    actions[reader](store)
                assert (0, True) == (
                    info.value.revision,
                    "'doc 7'" in str(info.value),
                )
            assert _sample("other", 2) == store.get("other")
        assert before == _dump_sql(path)

    @pytest.mark.parametrize(
        "change",
        ["title = 'Changed'", "url = '/elsewhere'", "allow_backwards = 1"],
    )
    def test_append_keeps_damage(self, tmp_path: Path, change: str) -> None:
        """Appending to a tampered document row refuses, changing nothing."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("doc 7", 3))
        _sql(path, f"UPDATE documents SET {change}")  # noqa: S608
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.append("doc 7", "x", at=_FIRST.add(days=9), note="X.")
            assert 0 == info.value.revision
        assert before == _dump_sql(path)

    def test_resigned_backwards(self, tmp_path: Path) -> None:
        """A consistently re-signed row breaking the model is revision 0."""
        path = tmp_path / "s.db"
        doc = Document("doc 7", "T", allow_backwards=True)
        doc.publish("a", at=_FIRST)
        doc.update("b", at=_FIRST.subtract(days=1), note="Earlier.")
        with SQLiteStore(path) as store:
            store.put(doc)
        old = _formats.document_digest(doc)
        new = _formats.header_digest(
            "doc 7",
            "T",
            None,
            allow_backwards=False,
            count=2,
            head=doc.revisions[-1].chain_digest,
        )
        summary = _store._xor_hex(
            _store._summary_term("doc 7", old),
            _store._summary_term("doc 7", new),
        )
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute(
                "UPDATE documents SET allow_backwards = 0, digest = ?", (new,)
            )
            (value,) = db.execute(
                "SELECT value FROM revtrack_meta WHERE key = 'summary'"
            ).fetchone()
            db.execute(
                "UPDATE revtrack_meta SET value = ? WHERE key = 'summary'",
                (_store._xor_hex(value, summary),),
            )
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            assert ("doc 7",) == store.ids()
            with pytest.raises(IntegrityError) as info:
                store.get("doc 7")
        assert (0, True) == (
            info.value.revision,
            "'doc 7'" in str(info.value),
        )
        assert before == _dump_sql(path)


def _write_v1(
    path: Path, docs: list[Document], *, deltas: bool = True
) -> None:
    """Write *docs* as version 1 did: a zlib row per revision, a delta."""
    db = sqlite3.connect(path, isolation_level=None)
    for statement in (_store._DOCUMENTS + ";" + _store._REVISIONS_V1).split(
        ";"
    ):
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {_store._APPLICATION_ID}")
    db.execute("INSERT INTO revtrack_meta VALUES ('schema', '1')")
    summary = _store._EMPTY_SUMMARY
    for doc in docs:
        digest = _formats.document_digest(doc)
        summary = _store._xor_hex(
            summary, _store._summary_term(doc.id, digest)
        )
        key = db.execute(
            "INSERT INTO documents (id, title, url, allow_backwards, head,"
            " head_chain, digest) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.title,
                doc.url,
                int(doc.allow_backwards),
                len(doc.revisions),
                doc.revisions[-1].chain_digest,
                digest,
            ),
        ).lastrowid
        previous = None
        for r in doc.revisions:
            full = previous is None or not deltas
            payload = (
                r.text.encode()
                if previous is None or not deltas
                else json.dumps(
                    revtrack._compact.encode_delta(
                        revtrack._compact.make_delta(previous, r.text)
                    )
                ).encode()
            )
            db.execute(
                "INSERT INTO revisions VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
                (
                    key,
                    r.number,
                    revtrack.format_timestamp(r.at),
                    _time.zone_name(r.at),
                    r.update_type.value,
                    r.note,
                    r.author,
                    json.dumps(dict(r.meta)) if r.meta else None,
                    bytes.fromhex(r.digest),
                    bytes.fromhex(r.chain_digest),
                    r.number,
                    None if full else r.number - 1,
                    len(r.text.encode()),
                    zlib.compress(payload),
                ),
            )
            previous = r.text
    db.execute(
        "UPDATE revtrack_meta SET value = ? WHERE key = 'summary'", (summary,)
    )
    db.execute(
        "UPDATE revtrack_meta SET value = ? WHERE key = 'documents'",
        (str(len(docs)),),
    )
    db.close()


class TestMigrationFields:
    """Migration keeps every field of every revision of every document."""

    def test_version_1(self, tmp_path: Path) -> None:
        """A version 1 store of deltas becomes what put() would write."""
        docs = [_varied("b", 7), _varied("a", 5), _varied("c", 1)]
        policy = revtrack.ChainPolicy(max_depth=3, chunk_size=2)
        with SQLiteStore(tmp_path / "new.db", policy=policy) as store:
            for doc in docs:
                store.put(doc)
        _write_v1(tmp_path / "old.db", docs)
        with SQLiteStore(tmp_path / "old.db", policy=policy) as store:
            assert {doc.id: doc for doc in docs} == _store_docs(store)
        expected = _chunks(tmp_path / "new.db")
        assert expected == _chunks(tmp_path / "old.db")

    def test_version_2(self, tmp_path: Path) -> None:
        """A version 2 store becomes byte for byte what this one writes."""
        path = tmp_path / "s.db"
        policy = revtrack.ChainPolicy(max_depth=3, chunk_size=2)
        docs = [_varied("b", 7), _varied("a", 5)]
        with SQLiteStore(path, policy=policy) as store:
            for doc in docs:
                store.put(doc)
        expected = _chunks(path)
        _to_v2(path)
        with SQLiteStore(path) as store:
            assert {doc.id: doc for doc in docs} == _store_docs(store)
        assert expected == _chunks(path)

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE revisions SET payload = x'00ff' WHERE number = 3",
            "UPDATE revisions SET zone = 'Not/AZone' WHERE number = 3",
            "UPDATE revisions SET base = 9 WHERE number = 3",
        ],
    )
    def test_damaged_version_1(self, tmp_path: Path, statement: str) -> None:
        """A damaged version 1 row names its revision and document."""
        path = tmp_path / "s.db"
        _write_v1(path, [_varied("a", 2), _varied("doc 7", 4)])
        _sql(path, statement + " AND doc = 2")
        before = _dump_sql(path)
        with pytest.raises(IntegrityError) as info:
            SQLiteStore(path)
        assert (3, True, before) == (
            info.value.revision,
            "'doc 7'" in str(info.value),
            _dump_sql(path),
        )

    def test_version_1_limits(self, tmp_path: Path) -> None:
        """A version 1 delta rebuilding past Limits.max_size is refused."""
        doc = Document("d", "T")
        doc.publish("x" * 1000, at=_FIRST)
        doc.update("x" * 2000, at=_FIRST.add(days=1), note="Doubled.")
        path = tmp_path / "s.db"
        _write_v1(path, [doc])
        before = _dump_sql(path)
        with pytest.raises(revtrack.exceptions.LimitExceededError) as info:
            SQLiteStore(path, limits=revtrack.Limits(max_size=1500))
        assert (True, True, before) == (
            str(info.value).startswith("revision 2 of 'd' cannot be read"),
            "Limits.max_size" in str(info.value),
            _dump_sql(path),
        )
        with SQLiteStore(path) as store:
            assert doc == store.get("d")

    @pytest.mark.parametrize("body", [b"\x00not lzma", b"[1]"])
    def test_damaged_version_2(self, tmp_path: Path, body: bytes) -> None:
        """A damaged version 2 chunk names its first revision and document."""
        path = tmp_path / "s.db"
        policy = revtrack.ChainPolicy(chunk_size=2)
        with SQLiteStore(path, policy=policy) as store:
            store.put(_sample("a", 2))
            store.put(_varied("doc 7", 4))
        _to_v2(path)
        packed = body if body.startswith(b"\x00") else _store._pack(body)
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute(
                "UPDATE chunks SET body = ? WHERE doc = 2 AND first = 2",
                (packed,),
            )
        before = _dump_sql(path)
        with pytest.raises(IntegrityError) as info:
            SQLiteStore(path)
        assert (2, True, before) == (
            info.value.revision,
            "'doc 7'" in str(info.value),
            _dump_sql(path),
        )


class TestPutHistories:
    """put() accepts exactly the histories that extend the stored one."""

    def test_same_again(self, tmp_path: Path) -> None:
        """Putting the stored document again changes nothing."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=3))
        before = _chunks(path)
        with SQLiteStore(path) as store:
            store.put(_sample(count=3))
            assert _sample(count=3) == store.get("quintet")
        assert before == _chunks(path)

    def test_empty_then_filled(self, tmp_path: Path) -> None:
        """A document stored without revisions takes them later."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(Document("quintet", "Attorneys General", url="/quintet"))
            store.put(_sample(count=3))
            assert _sample(count=3) == store.get("quintet")

    @pytest.mark.parametrize("count", [2, 4])
    def test_not_extending(self, tmp_path: Path, count: int) -> None:
        """A shorter history, or a longer one that differs, is refused."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample(count=3))
        other = _sample(count=count)
        if count > 3:
            other = _varied("quintet", count)
        before = _dump_sql(path)
        with SQLiteStore(path) as store, pytest.raises(StoreError):
            store.put(other)
        assert before == _dump_sql(path)


class TestDeleteFrees:
    """delete() removes a document's chunks as well as its row."""

    def test_put_again(self, tmp_path: Path) -> None:
        """A deleted id stored again with a shorter history reads whole."""
        path = tmp_path / "s.db"
        policy = revtrack.ChainPolicy(chunk_size=2)
        with SQLiteStore(path, policy=policy) as store:
            store.put(_sample(count=7))
            store.delete("quintet")
            with contextlib.closing(sqlite3.connect(path)) as db:
                assert [(0,)] == db.execute(
                    "SELECT count(*) FROM chunks"
                ).fetchall()
            store.put(_sample(count=2))
            assert _sample(count=2) == store.get("quintet")


class TestSummaryChecks:
    """ids() and opening refuse a damaged summary or schema version."""

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE documents SET digest = digest || 'x' WHERE id = 'a'",
            "UPDATE revtrack_meta SET value = '3' WHERE key = 'documents'",
        ],
    )
    def test_ids(self, tmp_path: Path, statement: str) -> None:
        """A count or digest not matching the summary is a StoreError."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("a"))
            store.put(_sample("b"))
        _sql(path, statement)
        with SQLiteStore(path) as store, pytest.raises(StoreError) as info:
            store.ids()
        assert str(path) in str(info.value)

    def test_schema_version(self, tmp_path: Path) -> None:
        """An unreadable schema version names the file."""
        path = tmp_path / "s.db"
        SQLiteStore(path).close()
        _sql(path, "UPDATE revtrack_meta SET value = 'x' WHERE key = 'schema'")
        with pytest.raises(StoreError) as info:
            SQLiteStore(path)
        assert str(path) in str(info.value)

    def test_bad_bound(self, tmp_path: Path) -> None:
        """A bound that is not a time is named in the error."""
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample())
            with pytest.raises(InvalidRevisionError) as info:
                store.revisions("quintet", since="yesterday")
        assert "'yesterday'" in str(info.value)


def _sqlite_error(
    kind: type[sqlite3.Error], text: str, code: int | None
) -> sqlite3.Error:
    error = kind(text)
    if code is not None:
        error.sqlite_errorcode = code
    return error


class TestStoreErrors:
    """SQLite's errors become typed store errors naming the file."""

    @pytest.mark.parametrize(
        ("kind", "text", "code", "expected", "retry", "number"),
        [
            (
                sqlite3.OperationalError,
                "database is locked",
                None,
                StoreError,
                True,
                None,
            ),
            (
                sqlite3.OperationalError,
                "database is busy",
                None,
                StoreError,
                True,
                None,
            ),
            (
                sqlite3.OperationalError,
                "x",
                sqlite3.SQLITE_BUSY,
                StoreError,
                True,
                None,
            ),
            (
                sqlite3.OperationalError,
                "no such table: t",
                None,
                StoreError,
                False,
                None,
            ),
            (
                sqlite3.DatabaseError,
                "file is not a database",
                None,
                StoreError,
                False,
                None,
            ),
            (
                sqlite3.OperationalError,
                "full",
                sqlite3.SQLITE_FULL,
                DiskError,
                True,
                errno.ENOSPC,
            ),
            (
                sqlite3.OperationalError,
                "disk I/O error",
                sqlite3.SQLITE_IOERR,
                DiskError,
                True,
                None,
            ),
            (
                sqlite3.OperationalError,
                "readonly",
                sqlite3.SQLITE_READONLY,
                DiskError,
                False,
                errno.EACCES,
            ),
            (
                sqlite3.OperationalError,
                "no",
                sqlite3.SQLITE_CANTOPEN,
                DiskError,
                False,
                errno.EACCES,
            ),
        ],
    )
    def test_classified(
        self,
        *,
        kind: type[sqlite3.Error],
        text: str,
        code: int | None,
        expected: type[StoreError],
        retry: bool,
        number: int | None,
    ) -> None:
        """Each error gets its type, errno, the path and SQLite's words."""
        error = _store._store_error("/x/s.db", _sqlite_error(kind, text, code))
        message = str(error)
        assert (expected, retry, number, True, True) == (
            type(error),
            "try again" in message,
            getattr(error, "errno", None),
            "'/x/s.db'" in message,
            text in message,
        )

    def test_closed(self, tmp_path: Path) -> None:
        """A closed store refuses further use with a StoreError."""
        path = tmp_path / "s.db"
        store = SQLiteStore(path)
        store.put(_sample())
        store.close()
        with pytest.raises(StoreError) as info:
            store.ids()
        assert str(path) in str(info.value)


class TestMissingChunks:
    """A chunk deleted from the file is named by its first revision."""

    def test_middle(self, tmp_path: Path) -> None:
        """A missing middle chunk names the first revision it held."""
        path = tmp_path / "s.db"
        _put_edits(path, 12, max_depth=20, chunk_size=4)
        _sql(path, "DELETE FROM chunks WHERE first = 5")
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.get("quintet")
            assert 5 == info.value.revision
            assert "'quintet'" in str(info.value)
            assert _edits(12).revisions[2] == store.revision("quintet", 3)

    def test_last(self, tmp_path: Path) -> None:
        """Missing last chunks name the first revision they held."""
        path = tmp_path / "s.db"
        _put_edits(path, 12, max_depth=20, chunk_size=4)
        _sql(path, "DELETE FROM chunks WHERE first >= 9")
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError, match="1 to 12") as info:
                store.get("quintet")
            assert 9 == info.value.revision
            assert "hold 1 to 8;" in str(info.value)


class TestEmptyDocument:
    """A document with no revisions yet stores and grows like any other."""

    def test_round_trip(self, tmp_path: Path) -> None:
        """An empty document comes back empty, then takes an append."""
        doc = Document("new", "Not yet published", url="/new")
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(doc)
            assert doc == store.get("new")
            store.append("new", "First text.", at=_FIRST)
            doc.publish("First text.", at=_FIRST)
            assert doc == store.get("new")


class TestPacking:
    """A delta stays zlib unless LZMA2 makes it more than a tenth smaller."""

    @settings(max_examples=25)
    @given(st.text(min_size=0, max_size=400), st.integers(1, 30))
    def test_rule(self, text: str, repeat: int) -> None:
        """The codec chosen follows the rule; both inflate to the data."""
        data = (text * repeat).encode()
        packed = _store._pack(data, delta=True)
        quick = zlib.compress(data, 9)
        lzma_size = len(_store._pack(data))
        if len(quick) <= lzma_size * 1.1 + 16:
            assert quick == packed
        else:
            assert len(packed) == lzma_size
        assert data == _store._unpack(packed, limit=len(data))


def _delta_cost(base: str, text: str) -> int:
    """Return how many bytes the stored delta from *base* to *text* takes."""
    compact = revtrack._compact
    delta = compact.encode_delta(compact.make_delta(base, text))
    return len(compact.compact_json(delta))


def _placement_faults(
    path: Path, doc: Document, policy: revtrack.ChainPolicy
) -> list[str]:
    """
    Return where the chunks of *doc* at *path* break the placement rule.

    The rule: a revision joins the open chunk while the chunk has room and
    rebuilding the revision stays within the policy (at most ``max_depth``
    deltas, at most ``max_ratio`` times its size in delta bytes, and a
    delta no larger than the text). Otherwise the next chunk deltas
    against the revision before it, else against the head of run
    ``s & (s - 1)`` of its segment (``s`` the new run's number), else it
    starts a snapshot. Every row records the depth and span of its head.
    """
    with contextlib.closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT first, last, seg, seq, base, depth, span, head, body"
            " FROM chunks ORDER BY first"
        ).fetchall()
    texts = {r.number: r.text for r in doc.revisions}
    size = {n: max(len(text.encode()), 1) for n, text in texts.items()}
    depth: dict[int, int] = {}
    span: dict[int, int] = {}
    cost: dict[int, int] = {}
    heads: dict[tuple[int, int], int] = {}
    faults: list[str] = []

    def fits(base: int, delta_cost: int, number: int) -> bool:
        return (
            depth[base] < policy.max_depth
            and span[base] + delta_cost <= policy.max_ratio * size[number]
            and delta_cost <= size[number]
        )

    previous: tuple[int, int, int, int] | None = None
    for first, last, seg, seq, base, row_depth, row_span, head, body in rows:
        expected: tuple[int, int, int | None] = (first, 0, None)
        if previous is not None:
            p_first, p_last, p_seg, p_seq = previous
            forward = _delta_cost(texts[first - 1], texts[first])
            target = heads.get((p_seg, (p_seq + 1) & p_seq))
            if fits(first - 1, forward, first):
                if p_last - p_first + 1 < policy.chunk_size:
                    faults.append(f"{first} could have joined {p_first}")
                expected = (p_seg, p_seq, first - 1)
            elif target is not None and fits(
                target, _delta_cost(texts[target], texts[first]), first
            ):
                expected = (p_seg, p_seq + 1, target)
        if expected != (seg, seq, base):
            faults.append(f"{first} is on {(seg, seq, base)}, not {expected}")
        if base is None:
            cost[first] = 0
            link = (0, 0)
        else:
            cost[first] = len(_store._unpack(head, limit=1 << 24))
            link = (depth[base] + 1, span[base] + cost[first])
        if link != (row_depth, row_span):
            faults.append(f"{first} records {(row_depth, row_span)}, {link}")
        depth[first], span[first] = row_depth, row_span
        deltas = json.loads(_store._unpack(body, limit=1 << 24))
        for number, delta in zip(
            range(first + 1, last + 1), deltas, strict=True
        ):
            cost[number] = len(revtrack._compact.compact_json(delta))
            depth[number] = depth[number - 1] + 1
            span[number] = span[number - 1] + cost[number]
        faults.extend(
            f"{number} reads past the policy"
            for number in range(first, last + 1)
            if not (
                depth[number] <= policy.max_depth
                and span[number] <= policy.max_ratio * size[number]
                and cost[number] <= size[number]
            )
        )
        if last - first + 1 > policy.chunk_size:
            faults.append(f"{first} holds more than chunk_size")
        heads.setdefault((seg, seq), first)
        previous = (first, last, seg, seq)
    if sorted(texts) != sorted(depth):
        faults.append(f"the chunks hold {sorted(depth)}")
    return faults


def _rewrites(count: int) -> Document:
    """Return a history whose revisions rewrite much of a short text."""
    lines = [f"Line {i} as first written.\n" for i in range(12)]
    doc = Document("quintet", "Attorneys General")
    doc.publish("".join(lines), at=_FIRST)
    for i in range(2, count + 1):
        for k in range(i % 5 + 1):
            lines[(i * 7 + k * 5) % len(lines)] = f"Rewritten {i}.{k}" + (
                "!" * (i % 4) + "\n"
            )
        if i % 9 == 0:
            lines = [f"All new {i} {j}\n" for j in range(6 + i % 7)]
        doc.update("".join(lines), at=_FIRST.add(days=i), note=f"Edit {i}.")
    return doc


def _history(texts: list[str]) -> Document:
    doc = Document("quintet", "Attorneys General")
    doc.publish(texts[0], at=_FIRST)
    for i, text in enumerate(texts[1:], start=2):
        doc.update(text, at=_FIRST.add(days=i), note=f"Edit {i}.")
    return doc


def _same_size_texts() -> list[str]:
    """Return three texts of 128 bytes, each a line's edit from the last."""
    lines = [f"line {j:02}\n" for j in range(16)]
    texts = ["".join(lines)]
    for j in (3, 9):
        lines[j] = f"LINE {j:02}\n"
        texts.append("".join(lines))
    return texts


def _cost_as_size_texts() -> list[str]:
    """Return two texts whose delta is exactly as long as the second."""
    for length in range(64):
        old = "p" * length + "\nthe old ending\n"
        new = "p" * length + "\na new ending here\n"
        if _delta_cost(old, new) == len(new.encode()):
            return [old, new]
    msg = "no prefix makes the delta as long as the text"
    raise AssertionError(msg)


def _at_budget(chunk_size: int) -> tuple[Document, revtrack.ChainPolicy]:
    """Return a history whose third revision reads exactly its budget."""
    texts = _same_size_texts()
    spent = _delta_cost(texts[0], texts[1]) + _delta_cost(texts[1], texts[2])
    # 128 is a power of two, so the ratio times the size is exactly spent.
    policy = revtrack.ChainPolicy(
        max_depth=64, max_ratio=spent / 128, chunk_size=chunk_size
    )
    assert {128} == {len(text.encode()) for text in texts}
    assert spent == policy.max_ratio * 128
    return _history(texts), policy


def _at_size(chunk_size: int) -> tuple[Document, revtrack.ChainPolicy]:
    """Return a history whose second delta is as long as its text."""
    policy = revtrack.ChainPolicy(
        max_depth=64, max_ratio=4.0, chunk_size=chunk_size
    )
    return _history(_cost_as_size_texts()), policy


class TestPlacementRule:
    """Chunks are placed greedily, within the policy, as the notes say."""

    @pytest.mark.parametrize(
        ("history", "policy"),
        [
            (lambda: _edits(24), (3, 2.0, 32)),
            (lambda: _edits(40), (6, 2.0, 3)),
            (lambda: _edits(30), (8, 0.05, 4)),
            (lambda: _rewrites(30), (64, 1.5, 32)),
            (lambda: _rewrites(30), (4, 3.0, 2)),
            (lambda: _rewrites(24), (2, 1.0, 1)),
        ],
    )
    def test_follows_rule(
        self,
        tmp_path: Path,
        history: Callable[[], Document],
        policy: tuple[int, float, int],
    ) -> None:
        """Every chunk starts, links and records its reads by the rule."""
        doc = history()
        chain = revtrack.ChainPolicy(
            max_depth=policy[0], max_ratio=policy[1], chunk_size=policy[2]
        )
        path = tmp_path / "s.db"
        with SQLiteStore(path, policy=chain) as store:
            store.put(doc)
            assert doc == store.get("quintet")
        assert [] == _placement_faults(path, doc, chain)

    @pytest.mark.parametrize(
        ("case", "expected"),
        [
            (lambda: _at_budget(32), [(1, 3, None)]),
            (lambda: _at_budget(2), [(1, 2, None), (3, 3, 2)]),
            (lambda: _at_size(32), [(1, 2, None)]),
            (lambda: _at_size(1), [(1, 1, None), (2, 2, 1)]),
        ],
    )
    def test_bounds_inclusive(
        self,
        tmp_path: Path,
        case: Callable[[], tuple[Document, revtrack.ChainPolicy]],
        expected: list[tuple[int, int, int | None]],
    ) -> None:
        """Exactly the budget, or a delta as long as its text, still fits."""
        doc, policy = case()
        path = tmp_path / "s.db"
        with SQLiteStore(path, policy=policy) as store:
            store.put(doc)
            assert doc == store.get("quintet")
        rows = [(row[0], row[1], row[4]) for row in _chunk_rows(path)]
        assert (expected, []) == (rows, _placement_faults(path, doc, policy))

    def test_run_numbers_with_gaps(self, tmp_path: Path) -> None:
        """A run whose skip-back head is missing starts a snapshot instead."""
        path = tmp_path / "s.db"
        policy = _put_edits(path, 3, max_depth=2, chunk_size=8)
        # Run numbers are placement hints; a reader follows only base.
        _sql(path, "UPDATE chunks SET seq = 5")
        with SQLiteStore(path, policy=policy) as store:
            store.put(_edits(4))
            assert _edits(4) == store.get("quintet")
        expected = [(1, 3, 1, 5, None, 0, 0), (4, 4, 4, 0, None, 0, 0)]
        assert expected == _chunk_rows(path)


class TestChunkRowTypes:
    """A chunk row holding values of the wrong type is damage, named."""

    @pytest.mark.parametrize("column", ["body", "fields"])
    def test_blob_as_text(self, tmp_path: Path, column: str) -> None:
        """A body or fields column holding text names the chunk's revision."""
        path = tmp_path / "s.db"
        _put_edits(path, 6, chunk_size=2)
        _sql(path, f"UPDATE chunks SET {column} = 'x' WHERE first = 5")  # noqa: S608
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            for read in (
                lambda: store.get("quintet"),
                lambda: store.revision("quintet", 5),
            ):
                with pytest.raises(IntegrityError) as info:
                    read()
                assert 5 == info.value.revision
            assert _edits(6).revisions[1] == store.revision("quintet", 2)
        assert before == _dump_sql(path)

    def test_first_as_text(self, tmp_path: Path) -> None:
        """A first revision that is not a number is reported as revision 0."""
        path = tmp_path / "s.db"
        _put_edits(path, 6, chunk_size=2)
        _sql(path, "UPDATE chunks SET first = 'five' WHERE first = 5")
        _assert_damage_named(path, lambda s: s.get("quintet"), 0)


class TestDamageExplained:
    """Errors about damage say what was found, not only where."""

    def test_damaged_time(self, tmp_path: Path) -> None:
        """A stored time that does not parse is quoted in the error."""
        path = tmp_path / "s.db"
        _put_edits(path, 5, chunk_size=2)
        _edit_fields(path, 5, lambda f: f[0].__setitem__(0, "not a time"))
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            for call in (
                lambda: store.append(
                    "quintet", "x", at=_FIRST.add(days=9), note="X."
                ),
                lambda: store.revisions("quintet", since=_FIRST),
            ):
                with pytest.raises(IntegrityError) as info:
                    call()
                assert (5, True) == (
                    info.value.revision,
                    "'not a time'" in str(info.value),
                )
        assert before == _dump_sql(path)

    def test_damaged_fields(self, tmp_path: Path) -> None:
        """A stored field the model refuses is explained by its error."""
        path = tmp_path / "s.db"
        _put_edits(path, 5, chunk_size=2)
        _edit_fields(path, 5, lambda f: f[0].__setitem__(2, "sideways"))
        with SQLiteStore(path) as store, pytest.raises(IntegrityError) as info:
            store.get("quintet")
        cause = info.value.__context__
        assert (5, True) == (
            info.value.revision,
            cause is not None and str(cause) in str(info.value),
        )

    def test_damaged_version_1(self, tmp_path: Path) -> None:
        """Migration explains a version 1 row it cannot read."""
        path = tmp_path / "s.db"
        _write_v1(path, [_varied("doc 7", 4)])
        _sql(path, "UPDATE revisions SET payload = x'00ff' WHERE number = 3")
        with pytest.raises(IntegrityError) as info:
            SQLiteStore(path)
        cause = info.value.__context__
        assert (3, True) == (
            info.value.revision,
            cause is not None and str(cause) in str(info.value),
        )

    def test_append_to_tampered_row(self, tmp_path: Path) -> None:
        """Refusing to append to a tampered document row names the document."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("doc 7", 3))
        _sql(path, "UPDATE documents SET title = 'Changed'")
        before = _dump_sql(path)
        with SQLiteStore(path) as store, pytest.raises(IntegrityError) as info:
            store.append("doc 7", "x", at=_FIRST.add(days=9), note="X.")
        assert (0, True) == (info.value.revision, "'doc 7'" in str(info.value))
        assert before == _dump_sql(path)

    def test_put_not_a_document(self, tmp_path: Path) -> None:
        """put() of something else names what it got and stores nothing."""
        with SQLiteStore(tmp_path / "s.db") as store:
            with pytest.raises(StoreError) as info:
                store.put({"id": "quintet"})  # type: ignore[arg-type]
            assert ((), True) == (store.ids(), "dict" in str(info.value))


class TestUnpack:
    """Chunk blobs inflate to their data, within the limit, or fail typed."""

    _DATA = bytes(range(256)) * 8

    def test_exact_limit(self) -> None:
        """An LZMA2 blob inflating to exactly the limit reads back whole."""
        packed = _store._pack(self._DATA)
        assert (False, self._DATA) == (
            packed.startswith(b"\x78"),
            _store._unpack(packed, limit=len(self._DATA)),
        )

    def test_over_limit(self) -> None:
        """A byte more than the limit is refused, saying how to allow it."""
        packed = _store._pack(self._DATA)
        limit = len(self._DATA) - 1
        with pytest.raises(revtrack.exceptions.LimitExceededError) as info:
            _store._unpack(packed, limit=limit)
        assert (True, True) == (
            str(limit) in str(info.value),
            "Limits.max_size" in str(info.value),
        )

    def test_truncated(self) -> None:
        """A blob cut short is a FormatError giving its length."""
        packed = _store._pack(self._DATA)[:-8]
        with pytest.raises(FormatError) as info:
            _store._unpack(packed, limit=1 << 20)
        assert str(len(packed)) in str(info.value)

    def test_corrupt(self) -> None:
        """A blob that is not LZMA2 is a FormatError carrying the cause."""
        with pytest.raises(FormatError) as info:
            _store._unpack(b"\x05 is no LZMA2 chunk", limit=1 << 20)
        cause = info.value.__cause__
        assert cause is not None
        assert str(cause) in str(info.value)

    def test_bomb_stays_small(self) -> None:
        """A blob inflating far past the limit is refused without inflating."""
        # A fast preset: the decoder reads any LZMA2 dictionary up to 1 MiB.
        bomb = lzma.compress(
            bytes(4 << 20),
            format=lzma.FORMAT_RAW,
            filters=[{"id": lzma.FILTER_LZMA2, "preset": 0}],
        )
        tracemalloc.start()
        try:
            with pytest.raises(revtrack.exceptions.LimitExceededError):
                _store._unpack(bomb, limit=1000)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # The decoder's own dictionary is 1 MiB; the output is 4 MiB.
        assert peak < 3 << 20


def _noise_block(count: int) -> bytes:
    """Return 64 bytes of noise repeated *count* times."""
    noise = hashlib.sha256(b"noise").digest()
    return (noise + hashlib.sha256(b"more noise").digest()) * count


class TestPackingBounds:
    """LZMA2 is the default codec; zlib keeps deltas up to its threshold."""

    def test_default_is_lzma(self, tmp_path: Path) -> None:
        """Snapshots and fields are LZMA2 even where zlib would be smaller."""
        data = b"short"
        raw = lzma.decompress(
            _store._pack(data), format=lzma.FORMAT_RAW, filters=_store._FILTERS
        )
        with SQLiteStore(tmp_path / "s.db") as store:
            store.put(_sample(count=1))
        with contextlib.closing(sqlite3.connect(tmp_path / "s.db")) as db:
            blobs = db.execute("SELECT head, fields FROM chunks").fetchone()
        assert (data, False, False) == (
            raw,
            blobs[0].startswith(b"\x78"),
            blobs[1].startswith(b"\x78"),
        )

    def test_threshold(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """
        A delta stays zlib at the threshold exactly, not a byte past it.

        The threshold is 1.1 times LZMA2's size plus 16 bytes. Rather than
        relying on data whose compressed sizes fall on it (which depends
        on the zlib and liblzma builds), the slack is set, as an exact
        fraction, to put the threshold on zlib's size and a byte below.
        """
        data = _noise_block(230)
        quick = zlib.compress(data, 9)
        lzma_size = len(_store._pack(data))
        chosen = []
        for margin in (16, 17):
            slack = fractions.Fraction(len(quick) - margin, lzma_size)
            monkeypatch.setattr(_store, "_ZLIB_SLACK", slack)
            packed = _store._pack(data, delta=True)
            assert data == _store._unpack(packed, limit=len(data))
            chosen.append(
                (len(quick) - (lzma_size * slack + 16), packed == quick)
            )
        assert [
            (fractions.Fraction(0), True),
            (fractions.Fraction(1), False),
        ] == chosen

    def test_heads_best_level(self, tmp_path: Path) -> None:
        """Head deltas are zlib at its best compression, as its header says."""
        path = tmp_path / "s.db"
        with SQLiteStore(
            path, policy=revtrack.ChainPolicy(max_depth=6, chunk_size=3)
        ) as store:
            store.put(_edits(12))
        with contextlib.closing(sqlite3.connect(path)) as db:
            heads = db.execute(
                "SELECT head FROM chunks WHERE base IS NOT NULL"
            ).fetchall()
        # FLEVEL, the top two bits of zlib's second byte: 3 is "maximum".
        assert heads
        assert {3} == {head[1] >> 6 for (head,) in heads}


class TestSummaryDamage:
    """A summary that is not a count and 64 hex digits is refused."""

    @pytest.mark.parametrize(
        ("key", "value"),
        [("summary", "00"), ("documents", "x"), ("summary", "g" * 64)],
    )
    def test_refused(self, tmp_path: Path, key: str, value: str) -> None:
        """Reading or writing names the file and changes nothing."""
        path = tmp_path / "s.db"
        SQLiteStore(path).close()
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute(
                "UPDATE revtrack_meta SET value = ? WHERE key = ?",
                (value, key),
            )
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            for call in (store.ids, lambda: store.put(_sample())):
                with pytest.raises(StoreError) as info:
                    call()
                assert str(path) in str(info.value)
        assert before == _dump_sql(path)


class TestNoFile:
    """A store without a file of its own ignores what happens at its path."""

    def test_memory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file named ':memory:' appearing does not stop a memory store."""
        monkeypatch.chdir(tmp_path)
        with SQLiteStore(":memory:") as store:
            store.put(_sample())
            (tmp_path / ":memory:").write_bytes(b"")
            store.append("quintet", "x", at=_FIRST.add(days=9), note="X.")
            assert 4 == len(store.get("quintet").revisions)

    def test_temporary(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A temporary store ('') keeps working when its folder moves."""
        (tmp_path / "work").mkdir()
        monkeypatch.chdir(tmp_path / "work")
        with SQLiteStore("") as store:
            store.put(_sample())
            (tmp_path / "work").rename(tmp_path / "moved")
            store.append("quintet", "x", at=_FIRST.add(days=9), note="X.")
            assert 4 == len(store.get("quintet").revisions)


class TestOpening:
    """Opening refuses foreign databases and sets up new files."""

    @pytest.mark.parametrize(
        "statements",
        [
            [
                "CREATE TABLE revtrack_meta (key TEXT, value TEXT)",
                "INSERT INTO revtrack_meta VALUES ('schema', '3')",
            ],
            [
                f"PRAGMA application_id = {_store._APPLICATION_ID}",
                "CREATE TABLE notes (body TEXT)",
            ],
        ],
    )
    def test_foreign(self, tmp_path: Path, statements: list[str]) -> None:
        """A database lacking our table or our id is refused, untouched."""
        path = tmp_path / "other.db"
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            for statement in statements:
                db.execute(statement)
        before = path.read_bytes()
        with pytest.raises(StoreError, match="not a revtrack store"):
            SQLiteStore(path)
        assert before == path.read_bytes()

    def test_new_file(self, tmp_path: Path) -> None:
        """A new store has small pages and gives freed pages back."""
        path = tmp_path / "s.db"
        SQLiteStore(path).close()
        with contextlib.closing(sqlite3.connect(path)) as db:
            settings = [
                db.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("page_size", "auto_vacuum")
            ]
        assert [_store._PAGE_SIZE, 1] == settings

    @pytest.mark.parametrize(
        ("timeout", "millis"), [(None, 30_000), (0.25, 250)]
    )
    def test_timeout(
        self, tmp_path: Path, timeout: float | None, millis: int
    ) -> None:
        """The timeout, 30 seconds unless given, is how long SQLite waits."""
        path = tmp_path / "s.db"
        store = (
            SQLiteStore(path)
            if timeout is None
            else SQLiteStore(path, timeout=timeout)
        )
        with store:
            (waits,) = store._db.execute("PRAGMA busy_timeout").fetchone()
        assert millis == waits

    def test_migrated_while_waiting(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A store another opener migrated while this one waited just opens."""
        path = tmp_path / "s.db"
        docs = [_varied("b", 5), _varied("a", 3)]
        with SQLiteStore(path) as store:
            for doc in docs:
                store.put(doc)
        _to_v2(path)
        connect = sqlite3.connect
        events: list[str] = []

        def racing(statement: str) -> None:
            # Runs as this opener's BEGIN IMMEDIATE starts: another opener
            # takes the lock first and migrates the store.
            if statement == "BEGIN IMMEDIATE" and events == ["opened"]:
                events.append("raced")
                with SQLiteStore(path) as other:
                    events.append(str(other.ids()))

        def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            db: sqlite3.Connection = connect(*args, **kwargs)
            if not events:
                events.append("opened")
                db.set_trace_callback(racing)
            return db

        monkeypatch.setattr(sqlite3, "connect", traced)
        with SQLiteStore(path) as store:
            got = _store_docs(store)
        monkeypatch.undo()
        expected = {doc.id: doc for doc in docs}
        assert (["opened", "raced", "('a', 'b')"], expected) == (events, got)


class TestAppendMeetsDamage:
    """Damage that only appending meets still names the document."""

    def test_skip_back_head(self, tmp_path: Path) -> None:
        """A damaged head that an append skips back to names the document."""
        path = tmp_path / "s.db"
        policy = _put_edits(path, 7, max_depth=2, chunk_size=1)
        # Revision 7 reads 7, 6 and 1; the run after it skips back to the
        # head of run 2, made revision 4 here, which no read of 7 touches.
        _sql(path, "UPDATE chunks SET seq = 2 WHERE first IN (4, 7)")
        _sql(path, "UPDATE chunks SET head = x'00ff' WHERE first = 4")
        before = _dump_sql(path)
        with SQLiteStore(path, policy=policy) as store:
            assert _edits(7).revisions[6] == store.revision("quintet", 7)
            with pytest.raises(IntegrityError) as info:
                store.append("quintet", "x", at=_FIRST.add(days=9), note="X.")
        assert (4, True) == (
            info.value.revision,
            "'quintet'" in str(info.value),
        )
        assert before == _dump_sql(path)


def _quintet_chunks(path: Path) -> None:
    """Store 'other' and an 8-revision 'quintet' in forward chunks of 2."""
    policy = revtrack.ChainPolicy(max_depth=20, chunk_size=2)
    with SQLiteStore(path, policy=policy) as store:
        store.put(_sample("other", 2))
        store.put(_edits(8))


def _set_quintet_chunk(
    path: Path, column: str, first: int, value: object
) -> None:
    """Set *column* of quintet's chunk *first* to *value*."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(
            f"UPDATE chunks SET {column} = ? WHERE first = ?"  # noqa: S608
            " AND doc = (SELECT key FROM documents WHERE id = 'quintet')",
            (value, first),
        )


def _format_error_text(call: Callable[[], object]) -> str:
    """Return the text of the FormatError *call* raises."""
    with pytest.raises(FormatError) as info:
        call()
    return str(info.value)


_NOT_LZMA = b"\x00\xff"
_BAD_DELTA: list[Any] = [[0, 10**6], ["", ""]]


def _unreadable_text() -> str:
    return _format_error_text(
        lambda: _store._unpack(_NOT_LZMA, limit=revtrack.Limits().max_size)
    )


def _bad_delta_text() -> str:
    return _format_error_text(
        lambda: revtrack._compact.apply_delta(
            _edits(8).revisions[4].text, _BAD_DELTA
        )
    )


# damage -> (how, the revision named, what the message says is wrong)
_BLOB_DAMAGES: dict[
    str, tuple[Callable[[Path], None], int, Callable[[], str]]
] = {
    "body unreadable": (
        lambda path: _set_quintet_chunk(path, "body", 5, _NOT_LZMA),
        5,
        _unreadable_text,
    ),
    "body too short": (
        lambda path: _set_quintet_chunk(path, "body", 5, _store._pack(b"[]")),
        5,
        lambda: "chunk",
    ),
    "body not a list": (
        lambda path: _set_quintet_chunk(path, "body", 5, _store._pack(b"7")),
        5,
        lambda: "chunk",
    ),
    "delta broken": (
        lambda path: _set_quintet_chunk(
            path, "body", 5, _store._pack(json.dumps([_BAD_DELTA]).encode())
        ),
        6,
        _bad_delta_text,
    ),
    "fields unreadable": (
        lambda path: _set_quintet_chunk(path, "fields", 5, _NOT_LZMA),
        5,
        _unreadable_text,
    ),
    "fields too few": (
        lambda path: _edit_fields(path, 5, lambda f: f.pop()),
        5,
        lambda: "chunk",
    ),
    "field too short": (
        lambda path: _edit_fields(path, 5, lambda f: f[1].pop()),
        5,
        lambda: "chunk",
    ),
    "head unreadable": (
        lambda path: _set_quintet_chunk(path, "head", 5, _NOT_LZMA),
        5,
        _unreadable_text,
    ),
}


class TestChunkBlobsNamed:
    """Damage in a chunk's head, deltas or fields names revision, id, cause."""

    @pytest.mark.parametrize(
        ("damage", "operation"),
        [
            (damage, operation)
            for damage in sorted(_BLOB_DAMAGES)
            for operation in ("get", "revision", "revisions", "append", "put")
            # put() reads the stored fields and deltas but no head and
            # applies no delta; append() rebuilds only the tip's text, not
            # the fields of earlier chunks.
            if not (
                operation == "put"
                and damage in {"delta broken", "head unreadable"}
            )
            and not (operation == "append" and "field" in damage)
        ],
    )
    def test_named(self, tmp_path: Path, damage: str, operation: str) -> None:
        """The error names the revision, the document and what is wrong."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        how, number, reason = _BLOB_DAMAGES[damage]
        how(path)
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "get": lambda s: s.get("quintet"),
            "revision": lambda s: s.revision("quintet", 6),
            "revisions": lambda s: s.revisions("quintet"),
            "append": lambda s: s.append(
                "quintet", "x", at=_FIRST.add(days=20), note="X."
            ),
            "put": lambda s: s.put(_edits(9)),
        }
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                actions[operation](store)
            assert _sample("other", 2) == store.get("other")
        message = str(info.value)
        assert (number, True, True) == (
            info.value.revision,
            "'quintet'" in message,
            reason() in message,
        )
        assert before == _dump_sql(path)

    def test_head_still_readable(self, tmp_path: Path) -> None:
        """Damaged deltas of a chunk leave its whole-stored head readable."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        _set_quintet_chunk(path, "body", 5, _NOT_LZMA)
        with SQLiteStore(path) as store:
            assert _edits(8).revisions[4] == store.revision("quintet", 5)
            with pytest.raises(IntegrityError):
                store.revision("quintet", 6)


class TestChunkRowsNamed:
    """A missing chunk or a base in another segment is named."""

    @pytest.mark.parametrize(
        ("first", "operation", "number", "reason"),
        [
            (1, "revision 1", 1, "chunk"),
            (1, "revision 3", 2, "chunk"),  # the base of revision 3's chunk
            (1, "get", 1, "missing"),
            (1, "revisions", 1, "missing"),
            (5, "revision 5", 5, "chunk"),
            (5, "revision 6", 6, "chunk"),
        ],
    )
    def test_missing(
        self,
        tmp_path: Path,
        first: int,
        operation: str,
        number: int,
        reason: str,
    ) -> None:
        """Every reader names the first revision it could not find, and why."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        _sql(
            path,
            f"DELETE FROM chunks WHERE first = {first} AND doc ="  # noqa: S608
            " (SELECT key FROM documents WHERE id = 'quintet')",
        )
        before = _dump_sql(path)
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "revision 1": lambda s: s.revision("quintet", 1),
            "revision 3": lambda s: s.revision("quintet", 3),
            "revision 5": lambda s: s.revision("quintet", 5),
            "revision 6": lambda s: s.revision("quintet", 6),
            "get": lambda s: s.get("quintet"),
            "revisions": lambda s: s.revisions("quintet"),
        }
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                actions[operation](store)
            assert _sample("other", 2) == store.get("other")
        message = str(info.value)
        assert (number, True, True) == (
            info.value.revision,
            "'quintet'" in message,
            reason in message,
        )
        assert before == _dump_sql(path)

    @pytest.mark.parametrize(("number", "named"), [(5, 5), (6, 5), (7, 7)])
    def test_base_elsewhere(
        self, tmp_path: Path, number: int, named: int
    ) -> None:
        """A chunk whose base lies in another segment names the later chunk."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        _set_quintet_chunk(path, "seg", 5, 3)
        before = _dump_sql(path)
        with SQLiteStore(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.revision("quintet", number)
            assert _edits(8).revisions[3] == store.revision("quintet", 4)
        message = str(info.value)
        assert (named, True, True) == (
            info.value.revision,
            "'quintet'" in message,
            "base" in message,
        )
        assert before == _dump_sql(path)

    @pytest.mark.parametrize("operation", ["get", "revisions"])
    def test_more_than_counted(self, tmp_path: Path, operation: str) -> None:
        """Chunks past the document's count name the first extra revision."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        _sql(path, "UPDATE documents SET head = 4 WHERE id = 'quintet'")
        actions: dict[str, Callable[[SQLiteStore], object]] = {
            "get": lambda s: s.get("quintet"),
            "revisions": lambda s: s.revisions("quintet"),
        }
        _assert_damage_named(path, actions[operation], 5)


class TestSelectedAroundDamage:
    """revisions() with bounds still checks the chain through skipped ones."""

    @pytest.mark.parametrize("value", [7, ["x"], {"a": 1}, float("inf")])
    def test_skipped_chain_digest(self, tmp_path: Path, value: object) -> None:
        """A skipped revision's chain digest of any type fails the next one."""
        path = tmp_path / "s.db"
        _quintet_chunks(path)
        _edit_fields(path, 3, lambda f: f[0].__setitem__(7, value))
        since = _edits(8).revisions[3].at
        _assert_damage_named(
            path, lambda s: s.revisions("quintet", since=since), 4
        )


class TestBackdatedWindows:
    """revisions() selects by time even when the chain goes back in time."""

    def test_every_window(self, tmp_path: Path) -> None:
        """Every [since, until) gives the revisions a filter on at gives."""
        doc = Document("back", "T", allow_backwards=True)
        lines = [f"Line {i} of the guidance.\n" for i in range(30)]
        doc.publish("".join(lines), at=_FIRST)
        # Small edits, so that chunks chain to the revision before them.
        for i, day in enumerate([1, 2, -1, 4, 5, -2], start=2):
            lines[i] = f"Line {i}, changed.\n"
            doc.update("".join(lines), at=_FIRST.add(days=day), note=f"C{i}.")
        policy = revtrack.ChainPolicy(chunk_size=2)
        bounds = [None, *(r.at for r in doc.revisions)]
        with SQLiteStore(tmp_path / "s.db", policy=policy) as store:
            store.put(doc)
            for since, until in itertools.product(bounds, repeat=2):
                expected = tuple(
                    r
                    for r in doc.revisions
                    if (since is None or r.at >= since)
                    and (until is None or r.at < until)
                )
                assert expected == store.revisions(
                    "back", since=since, until=until
                )


class TestRowTypesNamed:
    """A document row value of the wrong type is named by its type."""

    @pytest.mark.parametrize(
        "column",
        ["title", "url", "allow_backwards", "head", "head_chain", "digest"],
    )
    def test_type_named(self, tmp_path: Path, column: str) -> None:
        """The error lists the types that arrived, the blob among them."""
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(_sample("doc 7", 2))
        _sql(path, f"UPDATE documents SET {column} = X'00'")  # noqa: S608
        before = _dump_sql(path)
        with SQLiteStore(path) as store, pytest.raises(IntegrityError) as info:
            store.get("doc 7")
        assert (0, True, True) == (
            info.value.revision,
            "'doc 7'" in str(info.value),
            "'bytes'" in str(info.value),
        )
        assert before == _dump_sql(path)


class TestDeltaLimit:
    """Limits.max_size bounds the text a stored delta may rebuild."""

    def test_copies_past_the_limit(self, tmp_path: Path) -> None:
        """A small delta copying past the limit is refused, not rebuilt."""
        doc = Document("d", "T")
        doc.publish("ab" * 50, at=_FIRST)
        doc.update("ab" * 50 * 30, at=_FIRST.add(days=1), note="Copied.")
        path = tmp_path / "s.db"
        with SQLiteStore(path) as store:
            store.put(doc)
        bomb = [[0, 100] * 30, [""] * 31]
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            rows = db.execute("SELECT first, last FROM chunks").fetchall()
            db.execute(
                "UPDATE chunks SET body = ?",
                (_store._pack(json.dumps([bomb]).encode(), delta=True),),
            )
        assert [(1, 2)] == rows
        limits = revtrack.Limits(max_size=2000)
        reason = _format_error_text(
            lambda: revtrack._compact.apply_delta("ab" * 50, bomb, limit=2000)
        )
        with SQLiteStore(path, limits=limits) as store:
            for read in (
                lambda: store.revision("d", 2),
                lambda: store.get("d"),
            ):
                with pytest.raises(
                    revtrack.exceptions.LimitExceededError
                ) as info:
                    read()
                assert (True, True) == (
                    str(info.value).startswith("revision 2 of 'd' "),
                    reason in str(info.value),
                )
        with SQLiteStore(path) as store:
            assert doc == store.get("d")
