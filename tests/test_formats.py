"""History files: full and compact JSON, JSON Lines, integrity, limits."""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import io
import json
import lzma
import resource
import signal
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
            entry["delta"] = [[0, 10] * 20_000, [""] * 20_001]
        with pytest.raises(LimitExceededError):
            revtrack.loads(json.dumps(value), limits=Limits(max_size=100_000))

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
