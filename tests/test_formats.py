"""History files: full and compact JSON, JSON Lines, integrity, limits."""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import io
import json
import lzma
import os
import resource
import signal
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import Document, Limits
from revtrack.exceptions import (
    DiskError,
    FormatError,
    IntegrityError,
    LimitExceededError,
)

from .strategies import stored_documents
from .test_store import _FIRST, _noise, _spawn

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SCHEMA = json.loads(
    (ROOT / "docs" / "schemas" / "history.v1.schema.json").read_text()
)


def _sample() -> Document:
    doc = Document("quintet", "Attorneys General", url="/quintet")
    doc.publish(
        "Line one.\nLine two, 💩.\r\n" * 5,
        at="2019-07-31T10:30",
        tz="Europe/London",
        author="Ann",
        meta={"tags": ["a", "b"], "n": {"x": 1.5}},
    )
    doc.update(
        "Line one.\nLine two, changed.\r\n" * 5,
        at="2019-08-01T09:15+01:00",
        note="Added link to Quintet communiqué.",
    )
    doc.update(
        "Line one!\nLine two, changed.\r\n" * 5,
        at="2019-08-02T09:15",
        tz="America/New_York",
        minor=True,
    )
    return doc


def _json(doc: Document) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(revtrack.dumps(doc))
    return value


def _compact_json(doc: Document) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        lzma.decompress(revtrack.dumps(doc, compact=True))
    )
    return value


class TestRoundTrip:
    """loads(dumps(doc)) gives the document back."""

    @settings(max_examples=25, deadline=None)
    @given(stored_documents(), st.booleans())
    def test_property(self, doc: Document, compact: bool) -> None:
        """Every field, zone, digest and text survives either form."""
        data = revtrack.dumps(doc, compact=compact)
        assert doc == revtrack.loads(data)

    def test_zones_and_types_kept(self) -> None:
        """Zone names, offsets, update types and meta come back as given."""
        doc = revtrack.loads(revtrack.dumps(_sample()))
        assert [
            ("Europe/London", "major", "Ann"),
            (None, "major", None),
            ("America/New_York", "minor", None),
        ] == [
            (revtrack._time.zone_name(r.at), r.update_type.value, r.author)
            for r in doc.revisions
        ]
        assert {"tags": ("a", "b"), "n": {"x": 1.5}} == doc.revisions[0].meta

    @pytest.mark.parametrize("compact", [False, True])
    def test_progress(self, compact: bool) -> None:
        """loads() reports each revision it reads, in either form."""
        seen: list[tuple[int, int]] = []
        revtrack.loads(
            revtrack.dumps(_sample(), compact=compact),
            progress=lambda done, total: seen.append((done, total)),
        )
        assert [(1, 3), (2, 3), (3, 3)] == seen

    def test_indent(self) -> None:
        """Indented JSON reads back the same."""
        doc = _sample()
        assert doc == revtrack.loads(revtrack.dumps(doc, indent=2))

    def test_compact_smaller(self) -> None:
        """The compact form of a history of small edits is much smaller."""
        doc = Document("d", "T")
        doc.publish("word " * 5000, at="2019-07-31T10:00Z")
        for i in range(30):
            doc.update(
                "word " * 2000 + f"edit {i} " + "word " * 3000,
                at="2019-07-31T10:00Z",
                note="Edited.",
            )
        full = revtrack.dumps(doc).encode()
        compact = revtrack.dumps(doc, compact=True)
        assert len(compact) * 50 < len(full)

    def test_file_round_trip(self, tmp_path: Path) -> None:
        """dump() then load() through a path gives the document back."""
        doc = _sample()
        revtrack.dump(doc, tmp_path / "a.json")
        revtrack.dump(doc, tmp_path / "a.rth", compact=True)
        assert (doc, doc) == (
            revtrack.load(tmp_path / "a.json"),
            revtrack.load(tmp_path / "a.rth"),
        )

    def test_dump_replaces_whole(self, tmp_path: Path) -> None:
        """Writing over a file leaves no temporary files behind."""
        doc = _sample()
        revtrack.dump(doc, tmp_path / "a.json")
        revtrack.dump(doc, tmp_path / "a.json", compact=True)
        assert ["a.json"] == [p.name for p in tmp_path.iterdir()]


class TestSchema:
    """The JSON Schema in docs/schemas describes what dumps() writes."""

    @settings(max_examples=10, deadline=None)
    @given(stored_documents())
    def test_valid(self, doc: Document) -> None:
        """The full form and the decompressed compact form validate."""
        jsonschema.validate(_json(doc), SCHEMA)
        jsonschema.validate(_compact_json(doc), SCHEMA)

    def test_schema_rejects_missing_digest(self) -> None:
        """The schema, like loads(), requires every revision's digest."""
        value = _json(_sample())
        del value["revisions"][0]["digest"]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(value, SCHEMA)
        with pytest.raises(FormatError, match="digest"):
            revtrack.loads(json.dumps(value))


class TestIntegrity:
    """Changed data is caught on load and named by revision."""

    def test_changed_text(self) -> None:
        """A text changed in valid JSON fails its digest, named."""
        value = _json(_sample())
        value["revisions"][1]["text"] += "!"
        with pytest.raises(IntegrityError) as info:
            revtrack.loads(json.dumps(value))
        assert 2 == info.value.revision

    def test_changed_note(self) -> None:
        """A changed note fails the chain digest of its revision."""
        value = _json(_sample())
        value["revisions"][2]["note"] = "Sneaky."
        with pytest.raises(IntegrityError) as info:
            revtrack.loads(json.dumps(value))
        assert 3 == info.value.revision

    def test_changed_title(self) -> None:
        """A changed title fails the document digest (revision 0)."""
        value = _json(_sample())
        value["document"]["title"] = "Other"
        with pytest.raises(IntegrityError) as info:
            revtrack.loads(json.dumps(value))
        assert 0 == info.value.revision

    def test_dropped_revision(self) -> None:
        """A history cut short, though each revision verifies, is caught."""
        value = _json(_sample())
        del value["revisions"][-1]
        with pytest.raises(IntegrityError) as info:
            revtrack.loads(json.dumps(value))
        assert 0 == info.value.revision

    def test_verify_false(self) -> None:
        """verify=False skips the digests and returns the data as stored."""
        value = _json(_sample())
        value["revisions"][1]["text"] = "changed"
        doc = revtrack.loads(json.dumps(value), verify=False)
        assert "changed" == doc.revisions[1].text

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[
            *settings().suppress_health_check,
            HealthCheck.too_slow,
        ],
    )
    @given(st.data(), st.booleans())
    def test_flipped_byte(self, data: st.DataObject, compact: bool) -> None:
        """
        A flipped byte gives a typed error, or the very same document.

        The same document is possible only where the byte did not carry
        meaning (whitespace changes in JSON, or an escape written another
        way); it is never silently a different document.
        """
        doc = _sample()
        raw = (
            revtrack.dumps(doc, compact=True)
            if compact
            else revtrack.dumps(doc, indent=1).encode()
        )
        where = data.draw(st.integers(0, len(raw) - 1))
        flip = data.draw(st.integers(1, 255))
        damaged = bytearray(raw)
        damaged[where] ^= flip
        try:
            outcome: Document | FormatError = revtrack.loads(bytes(damaged))
        except FormatError as exc:
            outcome = exc
        if isinstance(outcome, Document):
            assert doc == outcome
        elif isinstance(outcome, IntegrityError):
            assert outcome.revision in range(len(doc.revisions) + 1)


class TestBadInput:
    """Untrusted input gives typed errors, never a partial document."""

    def test_newer_version(self) -> None:
        """A newer format version is named in the error."""
        value = _json(_sample())
        value["version"] = 7
        with pytest.raises(FormatError, match="got version 7"):
            revtrack.loads(json.dumps(value))

    def test_other_format(self) -> None:
        """JSON of another format is refused."""
        with pytest.raises(FormatError, match=r"revtrack\.history"):
            revtrack.loads('{"format": "revtrack.diff", "version": 1}')

    @pytest.mark.parametrize("cut", [1, 10, 100, 400])
    def test_truncated(self, cut: int) -> None:
        """A truncated file is a FormatError, in either form."""
        full = revtrack.dumps(_sample()).encode()
        compact = revtrack.dumps(_sample(), compact=True)
        for data in (full[:-cut], compact[:-cut]):
            with pytest.raises(FormatError):
                revtrack.loads(data)

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("revisions", 0, "number"), "1"),
            (("revisions", 0, "number"), True),
            (("revisions", 0, "at"), "2019-07-31"),
            (("revisions", 0, "zone"), "Mars/Olympus"),
            (("revisions", 0, "update_type"), "huge"),
            (("revisions", 0, "meta"), []),
            (("revisions", 0, "text"), 5),
            (("revisions", 0, "digest"), "ABC"),
            (("document", "allow_backwards"), 0),
            (("document", "id"), ""),
            (("revisions",), {}),
        ],
    )
    def test_wrong_types(self, path: tuple[Any, ...], value: Any) -> None:
        """A field of the wrong type or form is a FormatError."""
        data = _json(_sample())
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(FormatError):
            revtrack.loads(json.dumps(data))

    def test_unknown_field(self) -> None:
        """An unknown field is refused rather than dropped."""
        data = _json(_sample())
        data["revisions"][0]["extra"] = 1
        with pytest.raises(FormatError, match="unknown fields"):
            revtrack.loads(json.dumps(data))

    def test_oversized_decompression(self) -> None:
        """A compact file inflating past the limit is refused."""
        data = revtrack.dumps(_sample(), compact=True)
        with pytest.raises(LimitExceededError, match="inflates"):
            revtrack.loads(data, limits=Limits(max_size=200))

    def test_delta_bomb(self) -> None:
        """A small delta copying its base many times hits the limit."""
        value = _compact_json(_sample())
        for entry in value["revisions"][1:]:
            entry.pop("text", None)
            entry["base"] = entry["number"] - 1
            entry["delta"] = [[0, 100] * 300, [""] * 301]
        data = json.dumps(value)
        assert len(data) < 10_000  # the JSON itself is within the limit
        with pytest.raises(LimitExceededError, match="revision 2: "):
            revtrack.loads(data, limits=Limits(max_size=10_000))

    def test_deep_nesting(self) -> None:
        """JSON nested past the depth limit is refused, however deep."""
        for depth in (40, 100_000):
            with pytest.raises(LimitExceededError, match="nested"):
                revtrack.loads("[" * depth + "]" * depth)

    def test_bare_nan(self) -> None:
        """NaN is not JSON and is refused."""
        data = revtrack.dumps(_sample()).replace('"x":1.5', '"x":NaN')
        with pytest.raises(FormatError, match="NaN"):
            revtrack.loads(data)

    @given(st.text(max_size=200))
    def test_fuzz_text(self, text: str) -> None:
        """Any text loads as a document or raises FormatError."""
        with contextlib.suppress(FormatError):
            revtrack.loads(text)

    @given(st.binary(max_size=200))
    def test_fuzz_bytes(self, data: bytes) -> None:
        """Any bytes load as a document or raise FormatError."""
        with contextlib.suppress(FormatError):
            revtrack.loads(data)

    def test_load_limit(self) -> None:
        """load() refuses a file larger than the limit."""
        data = revtrack.dumps(_sample()).encode()
        with pytest.raises(LimitExceededError):
            revtrack.load(io.BytesIO(data), limits=Limits(max_size=100))


def _jsonl_line(when: str, message: str, text: str) -> str:
    return json.dumps(
        {"timestamp": when, "message": message, "text": text},
        ensure_ascii=False,
    )


class TestJsonLines:
    """read_jsonl() and write_jsonl()."""

    @settings(max_examples=20, deadline=None)
    @given(stored_documents())
    def test_round_trip(self, doc: Document) -> None:
        """Lines written and read back give the same lines."""
        lines = revtrack.write_jsonl(doc)
        again = revtrack.read_jsonl(
            lines, id=doc.id, title=doc.title, allow_backwards=True
        )
        assert lines == revtrack.write_jsonl(again)

    def test_texts_and_times(self) -> None:
        """Texts, instants with offsets and messages survive exactly."""
        doc = _sample()
        again = revtrack.read_jsonl(
            revtrack.write_jsonl(doc), id="q", title="Q"
        )
        assert [
            (r.text, revtrack.format_timestamp(r.at), r.note or "")
            for r in doc.revisions
        ] == [
            (r.text, revtrack.format_timestamp(r.at), r.note)
            for r in again.revisions
        ]

    def test_line_separators_escaped(self) -> None:
        """U+2028, U+2029 and U+0085 are escaped so lines stay lines."""
        doc = Document("d", "T")
        doc.publish("a\u2028b\u2029c\x85d", at="2019-07-31T10:00Z")
        (line,) = revtrack.write_jsonl(doc)
        assert 1 == len(line.splitlines())
        assert doc.latest.text == json.loads(line)["text"]

    def test_bad_line(self) -> None:
        """A line that is not a revision object names its line number."""
        lines = [_jsonl_line("2019-07-31T10:00:00Z", "a", "x"), "[1, 2]"]
        with pytest.raises(FormatError, match="line 2"):
            revtrack.read_jsonl(lines, id="d", title="T")

    def test_naive_time(self) -> None:
        """A timestamp without an offset is refused."""
        lines = [_jsonl_line("2019-07-31T10:00:00", "a", "x")]
        with pytest.raises(FormatError, match="line 1"):
            revtrack.read_jsonl(lines, id="d", title="T")

    def test_backwards(self) -> None:
        """Time going backwards needs allow_backwards=True."""
        lines = [
            _jsonl_line("2019-07-31T10:00:00Z", "a", "x"),
            _jsonl_line("2019-07-30T10:00:00Z", "b", "y"),
        ]
        with pytest.raises(FormatError, match="allow_backwards"):
            revtrack.read_jsonl(lines, id="d", title="T")
        doc = revtrack.read_jsonl(
            lines, id="d", title="T", allow_backwards=True
        )
        assert 2 == len(doc.revisions)

    def test_limit(self) -> None:
        """Input past the limit is refused."""
        lines = [_jsonl_line("2019-07-31T10:00:00Z", "a", "x" * 500)]
        with pytest.raises(LimitExceededError):
            revtrack.read_jsonl(
                lines, id="d", title="T", limits=Limits(max_size=100)
            )

    def test_files(self, tmp_path: Path) -> None:
        """Plain and gzip paths and binary files are read alike."""
        doc = _sample()
        lines = revtrack.write_jsonl(doc, tmp_path / "a.jsonl")
        (tmp_path / "a.jsonl.gz").write_bytes(
            gzip.compress("".join(lines).encode())
        )
        results = [
            revtrack.read_jsonl(source, id="q", title="Q")
            for source in (
                tmp_path / "a.jsonl",
                tmp_path / "a.jsonl.gz",
                io.BytesIO("".join(lines).encode()),
            )
        ]
        assert [lines] * 3 == [revtrack.write_jsonl(d) for d in results]

    def test_corrupt_gzip(self, tmp_path: Path) -> None:
        """A damaged gzip file is a FormatError."""
        packed = gzip.compress(
            (
                _jsonl_line("2019-07-31T10:00:00Z", "a", "x" * 999) + "\n"
            ).encode()
        )
        (tmp_path / "a.jsonl.gz").write_bytes(packed[:-12])
        with pytest.raises(FormatError):
            revtrack.read_jsonl(tmp_path / "a.jsonl.gz", id="d", title="T")

    def test_corpus(self) -> None:
        """A corpus reads byte-exact against its manifest digests."""
        if not CORPORA.is_dir():
            pytest.skip("the corpora folder is absent")
        name = "github-terms-of-service"
        doc = revtrack.read_jsonl(
            CORPORA / f"{name}.jsonl", id=name, title=name
        )
        manifest = json.loads((CORPORA / "MANIFEST.json").read_text())
        (entry,) = [c for c in manifest["corpora"] if c["name"] == name]
        assert [d["sha256"] for d in entry["revision_details"]] == [
            hashlib.sha256(r.text.encode()).hexdigest() for r in doc.revisions
        ]


# -- a disk that refuses the write (issue 8) ---------------------------


def _dump_too_big(path: str, queue: Queue[Any]) -> None:
    """Dump a large document over *path* under a small file size limit."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, hard))
    doc = Document("big", "Big")
    doc.publish(_noise(0, 60_000), at=_FIRST)
    try:
        revtrack.dump(doc, path)
    except Exception as exc:  # noqa: BLE001
        queue.put((type(exc).__name__, str(exc), getattr(exc, "errno", None)))
    else:
        queue.put(None)


class TestDumpFaults:
    """dump() to a path: a refused write is a DiskError, the file kept."""

    def test_file_size_limit(self, tmp_path: Path) -> None:
        """A dump failing with EFBIG leaves the old file and no temporary."""
        path = tmp_path / "d.json"
        revtrack.dump(_sample(), path)
        before = path.read_bytes()
        name, message, number = _spawn(_dump_too_big, str(path))
        assert ("DiskError", errno.EFBIG) == (name, number)
        assert "ulimit -f" in message
        assert before == path.read_bytes()
        assert ["d.json"] == [p.name for p in tmp_path.iterdir()]

    def test_missing_folder(self, tmp_path: Path) -> None:
        """Dumping into a missing folder is a DiskError creating nothing."""
        target = tmp_path / "missing" / "d.json"
        with pytest.raises(DiskError, match="create the folder") as info:
            revtrack.dump(_sample(), target)
        assert isinstance(info.value, OSError)
        assert errno.ENOENT == info.value.errno
        assert [] == list(tmp_path.iterdir())

    def test_over_folder(self, tmp_path: Path) -> None:
        """Dumping over a folder fails at the rename and cleans up."""
        (tmp_path / "d.json").mkdir()
        with pytest.raises(DiskError) as info:
            revtrack.dump(_sample(), tmp_path / "d.json")
        assert errno.EISDIR == info.value.errno
        assert ["d.json"] == [p.name for p in tmp_path.iterdir()]
        assert [] == list((tmp_path / "d.json").iterdir())


class TestJsonLinesChain:
    """read_jsonl() chains the revisions it reads."""

    def test_chain_digests(self) -> None:
        """Each revision's chain digest covers the revision before it."""
        doc = revtrack.read_jsonl(
            revtrack.write_jsonl(_sample()), id="q", title="Q"
        )
        stored = [r.chain_digest for r in doc.revisions]
        parents = [None, *stored[:-1]]
        assert stored == [
            r.compute_chain_digest(p)
            for r, p in zip(doc.revisions, parents, strict=True)
        ]


# -- what the mutation run found untested (issue 8) ----------------------

_DELETE = object()


def _damaged(
    path: tuple[Any, ...], value: object, *, compact: bool = False
) -> str:
    """Return the sample's JSON with the value at *path* set or deleted."""
    data = _compact_json(_sample()) if compact else _json(_sample())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(data)


class TestErrorsNameWhere:
    """Each error from loads() names the field it is about and its value."""

    @pytest.mark.parametrize(
        ("compact", "path", "value", "expected"),
        [
            (False, ("version",), "1", "the history.version must be an "),
            (False, ("form",), 5, "the history.form must be a string, got 5"),
            (False, ("form",), "delta", "'compact', got 'delta'"),
            (False, ("document",), 5, "the history.document must be an "),
            (False, ("revisions",), {}, "the history.revisions must be an "),
            (False, ("extra",), 1, "$ has unknown fields ['extra']"),
            (False, ("document", "id"), 5, "document.id must be a string"),
            (False, ("document", "title"), 5, "document.title must be a "),
            (False, ("document", "url"), 5, "document.url must be a string "),
            (False, ("document", "allow_backwards"), 0, "document.allow_b"),
            (False, ("document", "digest"), 5, "document.digest must be a "),
            (False, ("document", "x"), 1, "document has unknown fields"),
            (False, ("revisions", 1), 5, "revisions[1] must be an object, "),
            (False, ("revisions", 1, "number"), "2", "revisions[1].number "),
            (False, ("revisions", 1, "number"), 5, "number must be 2 ("),
            (False, ("revisions", 1, "zone"), 5, "revisions[1].zone must "),
            (False, ("revisions", 1, "at"), 5, "revisions[1].at must be "),
            (False, ("revisions", 1, "update_type"), 5, "revisions[1].upda"),
            (False, ("revisions", 1, "note"), 5, "revisions[1].note must "),
            (False, ("revisions", 1, "author"), 5, "revisions[1].author "),
            (False, ("revisions", 1, "meta"), [], "revisions[1].meta must "),
            (False, ("revisions", 1, "digest"), 5, "revisions[1].digest "),
            (False, ("revisions", 1, "chain_digest"), 5, "revisions[1].cha"),
            (False, ("revisions", 1, "text"), 5, "revisions[1].text must "),
            (False, ("revisions", 1, "text"), _DELETE, "revisions[1] has no"),
            (False, ("revisions", 1, "x"), 1, "revisions[1] has unknown "),
            (True, ("revisions", 2, "base"), "2", "revisions[2].base must "),
            (True, ("revisions", 2, "base"), _DELETE, "revisions[2] has no"),
            (True, ("revisions", 2, "delta"), 5, "revisions[2].delta must "),
            (True, ("revisions", 2, "x"), 1, "revisions[2] has unknown "),
            (True, ("form",), "full", "fields ['base', 'delta']"),
        ],
    )
    def test_names_field(
        self, compact: bool, path: tuple[Any, ...], value: Any, expected: str
    ) -> None:
        """The message names where in the history the bad value is."""
        with pytest.raises(FormatError) as info:
            revtrack.loads(_damaged(path, value, compact=compact))
        assert expected in str(info.value)

    @pytest.mark.parametrize("base", [0, 3])
    def test_base_range(self, base: int) -> None:
        """A delta's base must be an earlier revision; the range is named."""
        with pytest.raises(FormatError) as info:
            revtrack.loads(
                _damaged(("revisions", 2, "base"), base, compact=True)
            )
        assert f"(1 to 2), got {base}" in str(info.value)

    def test_number_names_both(self) -> None:
        """A wrong revision number names the expected and the given one."""
        damaged = _damaged(("revisions", 1, "number"), 5)
        with pytest.raises(FormatError) as info:
            revtrack.loads(damaged)
        message = str(info.value)
        assert (True, True) == (
            "revisions[1].number must be 2 " in message,
            message.endswith("got 5"),
        )

    def test_update_types_listed(self) -> None:
        """An unknown update type names the allowed ones and what arrived."""
        damaged = _damaged(("revisions", 1, "update_type"), "huge")
        with pytest.raises(FormatError) as info:
            revtrack.loads(damaged)
        every = ", ".join(repr(u.value) for u in revtrack.UpdateType)
        assert (
            f"revisions[1].update_type must be one of {every}, got 'huge'"
        ) in str(info.value)

    def test_digest_errors_name_document(self) -> None:
        """Integrity errors name the document id as well as the revision."""
        changed_text = _damaged(("revisions", 1, "text"), "changed")
        changed_title = _damaged(("document", "title"), "Other")
        messages = []
        for data in (changed_text, changed_title):
            with pytest.raises(IntegrityError) as info:
                revtrack.loads(data)
            messages.append(str(info.value))
        assert [True, True] == ["'quintet'" in m for m in messages]

    def test_invalid_document_gives_cause(self) -> None:
        """A history that makes no valid document says why."""
        with pytest.raises(FormatError) as info:
            revtrack.loads(_damaged(("document", "title"), ""))
        assert info.value.__cause__ is not None
        assert str(info.value.__cause__) in str(info.value)

    def test_newer_version_says_upgrade(self) -> None:
        """Only a newer format version tells the reader to upgrade."""
        messages = []
        for version in (7, 0):
            with pytest.raises(FormatError) as info:
                revtrack.loads(_damaged(("version",), version))
            messages.append(str(info.value))
        assert [True, False] == [
            m.endswith(f"got version {v} (a newer revtrack wrote it; upgrade)")
            for m, v in zip(messages, (7, 0), strict=True)
        ]
        assert messages[1].endswith("got version 0")

    def test_bad_json_position(self) -> None:
        """Invalid JSON is named with the line and column where it breaks."""
        text = '{\n"format": '
        with pytest.raises(json.JSONDecodeError) as reference:
            json.loads(text)
        with pytest.raises(FormatError) as info:
            revtrack.loads(text)
        where = (
            f"line {reference.value.lineno}, column {reference.value.colno}"
        )
        assert where in str(info.value)

    def test_undecodable_bytes_named(self) -> None:
        """Bytes that are not UTF-8 are refused, naming the bad byte."""
        with pytest.raises(FormatError) as info:
            revtrack.loads(b'"\xff"')
        assert "0xff" in str(info.value)

    def test_not_text_or_bytes(self) -> None:
        """Data of another type is refused, naming its type."""
        data: Any = 5
        with pytest.raises(FormatError) as info:
            revtrack.loads(data)
        assert "got int" in str(info.value)


class TestErrorsNameWhatArrived:
    """Errors name the kind of JSON value that arrived, and the kind due."""

    @pytest.mark.parametrize(
        ("line", "kind"),
        [
            ("[]", "an array"),
            ('"s"', "a string"),
            ("5", "an integer"),
            ("1.5", "a number"),
            ("true", "a boolean"),
            ("null", "null"),
        ],
    )
    def test_jsonl_line(self, line: str, kind: str) -> None:
        """A JSON Lines line that is not an object names what it is."""
        with pytest.raises(FormatError) as info:
            revtrack.read_jsonl([line], id="d", title="T")
        assert f"line 1 must be a JSON object, got {kind}" == str(info.value)

    @pytest.mark.parametrize(
        ("text", "kind"), [("[]", "an array"), ("false", "a boolean")]
    )
    def test_history(self, text: str, kind: str) -> None:
        """A history that is not an object, or a revision, says what it is."""
        entry = _damaged(("revisions", 1), json.loads(text))
        messages = []
        for data in (text, entry):
            with pytest.raises(FormatError) as info:
                revtrack.loads(data)
            messages.append(str(info.value))
        assert [
            f"expected a JSON object, got {kind}",
            f"revision 2: revisions[1] must be an object, got {kind}",
        ] == messages

    @pytest.mark.parametrize(
        ("path", "value", "expected"),
        [
            (("document",), [], "must be an object, got []"),
            (("revisions",), "r", "must be an array, got 'r'"),
            (("revisions", 0, "text"), None, "must be a string, got None"),
            (("revisions", 0, "number"), 1.0, "must be an integer, got 1.0"),
            (("document", "allow_backwards"), None, "be a boolean, got None"),
            (("revisions", 0, "note"), 1, "must be a string or null, got 1"),
        ],
    )
    def test_expected_kind(
        self, path: tuple[Any, ...], value: object, expected: str
    ) -> None:
        """A field of the wrong type names the kind it must be."""
        with pytest.raises(FormatError) as info:
            revtrack.loads(_damaged(path, value))
        assert str(info.value).endswith(expected)


def _growing() -> Document:
    """Six revisions, each longer than the last; the compact form deltas."""
    doc = Document("g", "Growing")
    text = "word " * 200
    doc.publish(text, at="2019-07-31T10:00Z")
    for i in range(5):
        text += f"more {i} "
        doc.update(text, at="2019-07-31T10:00Z", note="More.")
    return doc


class TestLimitBoundaries:
    """Each limit accepts input exactly at it and refuses one past it."""

    def test_size(self) -> None:
        """loads() accepts max_size bytes of JSON and refuses one more."""
        doc = _sample()
        data = revtrack.dumps(doc).encode()
        assert doc == revtrack.loads(data, limits=Limits(max_size=len(data)))
        with pytest.raises(LimitExceededError) as info:
            revtrack.loads(data, limits=Limits(max_size=len(data) - 1))
        assert f"the history is {len(data)} bytes" in str(info.value)

    def test_depth(self) -> None:
        """The sample nests five deep: max_depth=5 reads it, 4 does not."""
        doc = _sample()
        data = revtrack.dumps(doc)
        assert doc == revtrack.loads(data, limits=Limits(max_depth=5))
        with pytest.raises(LimitExceededError, match="limit of 4"):
            revtrack.loads(data, limits=Limits(max_depth=4))

    @pytest.mark.parametrize("opener", ["[", '{"a":'])
    def test_depth_alone(self, opener: str) -> None:
        """Arrays or objects max_depth deep pass the limit; one more fails."""
        closer = "]" if opener == "[" else "}"
        limits = Limits(max_depth=3)
        outcomes: list[type[Exception]] = []
        for depth in (3, 4):
            text = opener * depth + "1" * (opener != "[") + closer * depth
            with pytest.raises(FormatError) as info:
                revtrack.loads(text, limits=limits)
            outcomes.append(type(info.value))
        assert [FormatError, LimitExceededError] == outcomes

    def test_rebuilt_text(self) -> None:
        """Deltas may rebuild max_size characters in all, and no more."""
        doc = _growing()
        data = revtrack.dumps(doc, compact=True)
        value = json.loads(lzma.decompress(data))
        total = sum(len(r.text) for r in doc.revisions)
        # The premise: deltas against revision 1, and JSON within the limit.
        assert 1 in [entry.get("base") for entry in value["revisions"]]
        assert len(lzma.decompress(data)) < total - 1
        assert doc == revtrack.loads(data, limits=Limits(max_size=total))
        with pytest.raises(LimitExceededError, match="revision 6: "):
            revtrack.loads(data, limits=Limits(max_size=total - 1))

    @pytest.mark.parametrize("where", ["path", "file"])
    def test_load_size(self, tmp_path: Path, where: str) -> None:
        """load() reads a file of exactly max_size bytes, not one more."""
        doc = _sample()
        data = revtrack.dumps(doc).encode()
        (tmp_path / "d.json").write_bytes(data)

        def source() -> Path | io.BytesIO:
            if where == "path":
                return tmp_path / "d.json"
            return io.BytesIO(data)

        assert doc == revtrack.load(
            source(), limits=Limits(max_size=len(data))
        )
        with pytest.raises(LimitExceededError) as info:
            revtrack.load(source(), limits=Limits(max_size=len(data) - 1))
        assert f"more than {len(data) - 1} bytes" in str(info.value)

    def test_load_reads_no_more(self) -> None:
        """load() stops reading a stream one byte past the limit."""
        stream = io.BytesIO(revtrack.dumps(_sample()).encode())
        with pytest.raises(LimitExceededError):
            revtrack.load(stream, limits=Limits(max_size=100))
        assert 101 == stream.tell()

    def test_jsonl_size(self, tmp_path: Path) -> None:
        """read_jsonl() takes lines adding up to max_size, not one more."""
        lines = revtrack.write_jsonl(_sample())
        path = tmp_path / "d.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        # The sample's lines hold non-ASCII text: a file counts bytes.
        sizes = {"lines": sum(map(len, lines)), "path": path.stat().st_size}
        assert sizes["lines"] < sizes["path"]
        sources: dict[str, Path | list[str]] = {"lines": lines, "path": path}
        for name, size in sizes.items():
            read = revtrack.read_jsonl(
                sources[name], id="q", title="Q", limits=Limits(max_size=size)
            )
            assert lines == revtrack.write_jsonl(read)
            with pytest.raises(LimitExceededError) as info:
                revtrack.read_jsonl(
                    sources[name],
                    id="q",
                    title="Q",
                    limits=Limits(max_size=size - 1),
                )
            assert f"more than {size - 1} bytes" in str(info.value)

    def test_jsonl_read_error_gives_cause(self, tmp_path: Path) -> None:
        """A JSON Lines file that cannot be read says what went wrong."""
        packed = gzip.compress(b'{"timestamp": "2019-07-31T10:00:00Z"}\n')
        (tmp_path / "a.jsonl.gz").write_bytes(packed[:-12])
        with pytest.raises(FormatError) as info:
            revtrack.read_jsonl(tmp_path / "a.jsonl.gz", id="d", title="T")
        assert info.value.__cause__ is not None
        assert str(info.value.__cause__) in str(info.value)


class TestLoadOptions:
    """load() passes verify, limits and progress on to loads()."""

    def test_verify(self) -> None:
        """load() verifies by default, and verify=False skips it."""
        data = _damaged(("revisions", 1, "text"), "changed").encode()
        with pytest.raises(IntegrityError):
            revtrack.load(io.BytesIO(data))
        doc = revtrack.load(io.BytesIO(data), verify=False)
        assert "changed" == doc.revisions[1].text

    def test_limits(self) -> None:
        """load() applies every limit it is given, not only the size."""
        data = revtrack.dumps(_sample()).encode()
        with pytest.raises(LimitExceededError, match="nested"):
            revtrack.load(io.BytesIO(data), limits=Limits(max_depth=4))

    def test_progress(self) -> None:
        """load() reports each revision it reads."""
        seen: list[tuple[int, int]] = []
        revtrack.load(
            io.BytesIO(revtrack.dumps(_sample()).encode()),
            progress=lambda done, total: seen.append((done, total)),
        )
        assert [(1, 3), (2, 3), (3, 3)] == seen


class TestWriteToFile:
    """dump() and write_jsonl() write the bytes dumps() gives to a file."""

    def test_dump_file(self) -> None:
        """dump() writes the full form by default and compact on request."""
        doc = _sample()
        full, compact = io.BytesIO(), io.BytesIO()
        revtrack.dump(doc, full)
        revtrack.dump(doc, compact, compact=True)
        assert (
            revtrack.dumps(doc).encode(),
            revtrack.dumps(doc, compact=True),
        ) == (full.getvalue(), compact.getvalue())

    def test_write_jsonl_file(self) -> None:
        """write_jsonl() writes the lines it returns, as UTF-8."""
        buffer = io.BytesIO()
        lines = revtrack.write_jsonl(_sample(), buffer)
        assert "".join(lines).encode() == buffer.getvalue()

    def test_jsonl_keeps_text(self) -> None:
        """Non-ASCII text is written as itself, not escaped."""
        doc = Document("d", "T")
        doc.publish("café 💩", at="2019-07-31T10:00Z")
        (line,) = revtrack.write_jsonl(doc)
        assert '"text": "café 💩"' in line


class TestReadJsonlFields:
    """read_jsonl() names the line and field at fault and keeps options."""

    @pytest.mark.parametrize("field", ["timestamp", "message", "text"])
    def test_field_type(self, field: str) -> None:
        """A field of the wrong type is named with its line."""
        good = {
            "timestamp": "2019-07-31T10:00:00Z",
            "message": "a",
            "text": "x",
        }
        bad = {**good, field: 5}
        lines = [json.dumps(good), json.dumps(bad)]
        with pytest.raises(FormatError) as info:
            revtrack.read_jsonl(lines, id="d", title="T")
        assert f"line 2.{field} must be a string, got 5" in str(info.value)

    def test_invalid_json_line(self) -> None:
        """A line that is not JSON is named."""
        lines = [_jsonl_line("2019-07-31T10:00:00Z", "a", "x"), "{"]
        with pytest.raises(FormatError, match=r"^line 2 is not a JSON object"):
            revtrack.read_jsonl(lines, id="d", title="T")

    def test_nan_refused(self) -> None:
        """NaN is not JSON, even in a field read_jsonl() ignores."""
        line = (
            _jsonl_line("2019-07-31T10:00:00Z", "a", "x")[:-1] + ', "s": NaN}'
        )
        with pytest.raises(FormatError, match="NaN"):
            revtrack.read_jsonl([line], id="d", title="T")

    def test_url(self) -> None:
        """The URL given is the document's."""
        lines = [_jsonl_line("2019-07-31T10:00:00Z", "a", "x")]
        doc = revtrack.read_jsonl(lines, id="d", title="T", url="/d")
        assert "/d" == doc.url


class TestAtomicWrite:
    """A path is written through a temporary file beside it, then renamed."""

    def test_old_file_whole_until_renamed(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """While the new bytes sync, the old file is whole beside them."""
        path = tmp_path / "d.json"
        path.write_bytes(b"old")
        seen: list[tuple[list[str], bytes]] = []
        fsync = os.fsync

        def watch(fd: int) -> None:
            names = sorted(p.name for p in tmp_path.iterdir())
            seen.append((names, path.read_bytes()))
            fsync(fd)

        monkeypatch.setattr(os, "fsync", watch)
        revtrack.dump(_sample(), path)
        ((names, during),) = seen
        assert (2, "d.json", True, b"old") == (
            len(names),
            names[1],
            names[0].startswith(".d.json."),
            during,
        )
        assert revtrack.dumps(_sample()).encode() == path.read_bytes()
        assert ["d.json"] == [p.name for p in tmp_path.iterdir()]

    def test_no_system_temp_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Writing needs no system temp folder: the rename stays on a disk."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "nowhere"))
        revtrack.dump(_sample(), tmp_path / "d.json")
        assert _sample() == revtrack.load(tmp_path / "d.json")

    def test_unknown_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error with no errno is quoted; the old file and folder stay."""
        path = tmp_path / "d.json"
        path.write_bytes(b"old")

        def refuse(fd: int) -> None:  # noqa: ARG001
            msg = "device gone"
            raise OSError(msg)

        monkeypatch.setattr(os, "fsync", refuse)
        with pytest.raises(DiskError) as info:
            revtrack.dump(_sample(), path)
        assert (None, True, True) == (
            info.value.errno,
            "'" + str(path) + "': device gone; fix that and try again."
            in str(info.value),
            isinstance(info.value.__cause__, OSError),
        )
        assert (b"old", ["d.json"]) == (
            path.read_bytes(),
            [p.name for p in tmp_path.iterdir()],
        )

    def test_temp_already_gone(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A temporary file gone before its clean-up still gives DiskError."""
        path = tmp_path / "d.json"

        def lose(fd: int) -> None:  # noqa: ARG001
            for leftover in tmp_path.glob(".d.json.*"):
                leftover.unlink()
            raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(os, "fsync", lose)
        with pytest.raises(DiskError) as info:
            revtrack.dump(_sample(), path)
        assert errno.EIO == info.value.errno
        assert [] == list(tmp_path.iterdir())

    def test_interrupted(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An interrupt mid-write propagates, keeping the old file whole."""
        path = tmp_path / "d.json"
        path.write_bytes(b"old")

        def interrupt(fd: int) -> None:  # noqa: ARG001
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupt)
        with pytest.raises(KeyboardInterrupt):
            revtrack.dump(_sample(), path)
        assert (b"old", ["d.json"]) == (
            path.read_bytes(),
            [p.name for p in tmp_path.iterdir()],
        )


class TestLayout:
    """dumps() labels each form and lays its JSON out as asked."""

    def test_forms_labelled(self) -> None:
        """The full form holds texts; the compact form deltas, so labelled."""
        doc = _growing()
        full, compact = _json(doc), _compact_json(doc)
        assert (
            ("full", False),
            ("compact", True),
        ) == (
            (full["form"], any("delta" in e for e in full["revisions"])),
            (compact["form"], any("delta" in e for e in compact["revisions"])),
        )

    @pytest.mark.parametrize("indent", [None, 0, 2])
    def test_indent(self, indent: int | None) -> None:
        """The JSON is minimal by default, or indented as json.dumps does."""
        text = revtrack.dumps(_sample(), indent=indent)
        separators = (",", ":") if indent is None else None
        assert text == json.dumps(
            json.loads(text),
            ensure_ascii=False,
            indent=indent,
            separators=separators,
        )
        assert ("💩" in text, "\n" in text) == (True, indent is not None)


class TestDocumentDigest:
    """The document digest follows the file format, so old files verify."""

    @pytest.mark.parametrize("empty", [False, True])
    def test_recipe(self, empty: bool) -> None:
        """It is SHA-256 over the sorted, compact JSON of six fields."""
        doc = Document("d", "Fees", url="/fees", allow_backwards=True)
        if not empty:
            doc.publish("Fees: £10.", at="2024-03-01T09:00Z")
        fields = {
            "id": "d",
            "title": "Fees",
            "url": "/fees",
            "allow_backwards": True,
            "revisions": len(doc.revisions),
            "head": "" if empty else doc.latest.chain_digest,
        }
        canonical = json.dumps(
            fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        expected = hashlib.sha256(canonical.encode()).hexdigest()
        assert expected == _json(doc)["document"]["digest"]
