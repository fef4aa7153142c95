"""The Store protocol and SQLiteStore."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import sqlite3
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
    from collections.abc import Callable
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
        suppress_health_check=[HealthCheck.function_scoped_fixture],
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

    @pytest.mark.parametrize(
        ("column", "value"),
        [("head", b"\x00not a delta"), ("seg", 5), ("base", 1)],
    )
    def test_damaged_head(
        self, tmp_path: Path, column: str, value: object
    ) -> None:
        """A damaged head or base names its chunk and changes nothing."""
        path = tmp_path / "s.db"
        policy = revtrack.ChainPolicy(max_depth=20, chunk_size=4)
        with SQLiteStore(path, policy=policy) as store:
            store.put(_edits(12))
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
        first, body = db.execute(
            "SELECT first, body FROM chunks WHERE first <= 3"
            " ORDER BY first DESC LIMIT 1"
        ).fetchone()
        fields, deltas = json.loads(_store._unpack(body, limit=1 << 20))
        fields[3 - first][3] = "Sneaky."
        db.execute(
            "UPDATE chunks SET body = ? WHERE first = ?",
            (_store._pack(json.dumps([fields, deltas]).encode()), first),
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
        """A store in the version 1 layout opens as version 2, unchanged."""
        path = tmp_path / "s.db"
        db = sqlite3.connect(path, isolation_level=None)
        for statement in (
            _store._DOCUMENTS + ";" + _store._REVISIONS_V1
        ).split(";"):
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {_store._APPLICATION_ID}")
        db.execute("INSERT INTO revtrack_meta VALUES ('schema', '1')")
        db.close()
        doc = _sample(count=5)
        _write_v1(path, doc)
        with SQLiteStore(path) as store:
            assert doc == store.get("quintet")
            store.append("quintet", "More.", at="2020-01-01T00:00Z", note="M.")
        db = sqlite3.connect(path)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema")}
        version = db.execute(
            "SELECT value FROM revtrack_meta WHERE key = 'schema'"
        ).fetchone()
        db.close()
        assert (("2",), False) == (version, "revisions" in tables)
        with SQLiteStore(path) as store:
            assert 6 == len(store.get("quintet").revisions)

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
        suppress_health_check=[HealthCheck.function_scoped_fixture],
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


def _write_v1(path: Path, doc: Document) -> None:
    """Write *doc* as version 1 did: a zlib row per revision, in full."""
    db = sqlite3.connect(path)
    key = db.execute(
        "INSERT INTO documents (id, title, url, allow_backwards, head,"
        " head_chain, digest) VALUES (?, ?, ?, 0, ?, ?, ?)",
        (
            doc.id,
            doc.title,
            doc.url,
            len(doc.revisions),
            doc.revisions[-1].chain_digest,
            _formats.document_digest(doc),
        ),
    ).lastrowid
    term = _store._summary_term(doc.id, _formats.document_digest(doc))
    db.execute(
        "UPDATE revtrack_meta SET value = ? WHERE key = 'summary'", (term,)
    )
    db.execute("UPDATE revtrack_meta SET value = '1' WHERE key = 'documents'")
    for r in doc.revisions:
        db.execute(
            "INSERT INTO revisions VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, ?, ?)",
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
                len(r.text.encode()),
                zlib.compress(r.text.encode()),
            ),
        )
    db.commit()
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
