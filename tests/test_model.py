"""Revision, UpdateType and Document: the chain and its public history."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import Document, Revision, UpdateType
from revtrack._model import FrozenMap
from revtrack.exceptions import (
    ChronologyError,
    IntegrityError,
    InvalidRevisionError,
    RevisionNotFoundError,
)

from .strategies import append_step, build, documents, instants, steps


def _quintet() -> Document:
    doc = Document("quintet", "Attorneys General")
    doc.publish("v1", at="2019-07-31T10:30", tz="Europe/London")
    doc.update(
        "v2",
        at="2019-08-01T09:15",
        tz="Europe/London",
        note="Added link to Quintet communiqué.",
    )
    return doc


def _snapshot(doc: Document) -> tuple[Any, ...]:
    return (doc.id, doc.title, doc.url, tuple(doc.revisions))


class TestRevision:
    """Revision values."""

    def test_digest(self) -> None:
        """The digest is the SHA-256 of the UTF-8 text."""
        r = Revision.create(1, "é💩", at="2019-07-31T10:00Z")
        assert hashlib.sha256("é💩".encode()).hexdigest() == r.digest

    def test_frozen(self) -> None:
        """Revisions cannot be changed in place."""
        r = Revision.create(1, "a", at="2019-07-31T10:00Z")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            r.text = "b"  # type: ignore[misc]

    def test_meta_read_only(self) -> None:
        """Meta is a read-only copy: changing the input changes nothing."""
        source: dict[str, Any] = {"tags": ["a"], "n": {"x": 1}}
        r = Revision.create(1, "a", at="2019-07-31T10:00Z", meta=source)
        source["tags"].append("b")
        assert ("a",) == r.meta["tags"]
        with pytest.raises(TypeError):
            r.meta["n"]["x"] = 2

    @pytest.mark.parametrize(
        "meta",
        [{"x": float("nan")}, {"x": object()}, {1: "a"}, {"x": {"y": b"z"}}],
    )
    def test_meta_must_be_json(self, meta: Any) -> None:
        """Meta holds JSON values only."""
        with pytest.raises(InvalidRevisionError, match="meta"):
            Revision.create(1, "a", at="2019-07-31T10:00Z", meta=meta)

    def test_zone_kept(self) -> None:
        """The zone name survives, and equality tells zones apart."""
        london = Revision.create(
            1, "a", at=pendulum.datetime(2019, 7, 31, 10, tz="Europe/London")
        )
        assert "Europe/London" == london.at.timezone_name
        fixed = attrs.evolve(
            london, at=london.at.in_tz(pendulum.FixedTimezone(3600))
        )
        assert london.at == fixed.at
        assert london != fixed

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("number", 0),
            ("number", True),
            ("text", b"bytes"),
            ("text", "\ud800"),
            ("at", dt.datetime(2019, 7, 31, 10)),  # noqa: DTZ001
            ("at", "2019-07-31T10:00"),
            ("update_type", "huge"),
            ("note", 3),
            ("author", 3),
            ("digest", "abc"),
        ],
    )
    def test_bad_values(self, field: str, value: Any) -> None:
        """Each bad field value is an InvalidRevisionError naming the field."""
        good = Revision.create(1, "a", at="2019-07-31T10:00Z")
        with pytest.raises(InvalidRevisionError):
            attrs.evolve(good, **{field: value})

    def test_update_type_from_str(self) -> None:
        """Update types may be given by value."""
        r = Revision.create(
            1, "a", at="2019-07-31T10:00Z", update_type="minor"
        )
        assert UpdateType.MINOR is r.update_type
        assert not r.public


class TestPublishUpdate:
    """publish() and update()."""

    def test_quintet(self) -> None:
        """The seed's history: derived fields follow GOV.UK's rules."""
        doc = _quintet()
        doc.update("v3", at="2019-08-02T09:00+01:00", minor=True)
        assert "2019-07-31T10:30:00+01:00" == str(
            doc.first_published and doc.first_published.isoformat()
        )
        assert doc.last_updated is not None
        assert "2019-08-01T09:15:00+01:00" == doc.last_updated.isoformat()
        assert doc.last_edited is not None
        assert "2019-08-02T09:00:00+01:00" == doc.last_edited.isoformat()
        assert [
            "Added link to Quintet communiqué.",
            "First published.",
        ] == [c.note for c in doc.change_history]

    def test_no_last_updated_until_major_update(self) -> None:
        """'Last updated' stays absent until a major update."""
        doc = Document("d", "T")
        assert doc.first_published is None
        assert doc.last_edited is None
        doc.publish("a", at="2019-07-31T10:00Z")
        doc.update("b", at="2019-08-01T10:00Z", minor=True)
        assert doc.last_updated is None

    def test_republish(self) -> None:
        """A republish is recorded but stays out of the public history."""
        doc = _quintet()
        r = doc.update("v2", at="2019-09-01T10:00Z", republish=True)
        assert UpdateType.REPUBLISH is r.update_type
        assert 2 == len(doc.change_history)

    def test_equal_times_allowed(self) -> None:
        """Two revisions may share an instant; the later one is current."""
        doc = Document("d", "T")
        doc.publish("a", at="2019-07-31T10:00Z")
        doc.update("b", at="2019-07-31T11:00+01:00", note="Same instant.")
        assert "b" == doc.at("2019-07-31T10:00Z").text

    @pytest.mark.parametrize(
        ("call", "kwargs", "error", "match"),
        [
            (
                "update",
                {"text": "x", "at": "2019-08-02T10:00Z"},
                InvalidRevisionError,
                "note",
            ),
            (
                "update",
                {"text": "x", "at": "2019-08-02T10:00Z", "note": "  "},
                InvalidRevisionError,
                "note",
            ),
            (
                "update",
                {
                    "text": "x",
                    "at": "2019-08-02T10:00Z",
                    "minor": True,
                    "note": "n",
                },
                InvalidRevisionError,
                "minor",
            ),
            (
                "update",
                {
                    "text": "x",
                    "at": "2019-08-02T10:00Z",
                    "minor": True,
                    "republish": True,
                },
                InvalidRevisionError,
                "not both",
            ),
            (
                "update",
                {"text": "x", "at": "2019-07-01T10:00Z", "note": "n"},
                ChronologyError,
                "allow_backwards",
            ),
            (
                "update",
                {"text": "x", "at": dt.datetime(2019, 9, 1), "note": "n"},  # noqa: DTZ001
                InvalidRevisionError,
                "naive",
            ),
            (
                "update",
                {"text": "x", "at": "now", "note": "n"},
                InvalidRevisionError,
                "now",
            ),
            (
                "update",
                {"text": "x", "at": "yesterday-ish", "note": "n"},
                InvalidRevisionError,
                "expected",
            ),
            (
                "update",
                {"text": b"x", "at": "2019-08-02T10:00Z", "note": "n"},
                InvalidRevisionError,
                "bytes",
            ),
            (
                "update",
                {"text": 42, "at": "2019-08-02T10:00Z", "note": "n"},
                InvalidRevisionError,
                "int",
            ),
            (
                "update",
                {
                    "text": "x",
                    "at": "2019-08-02T10:00Z",
                    "note": "n",
                    "meta": {"x": set()},
                },
                InvalidRevisionError,
                "meta",
            ),
            (
                "publish",
                {"text": "x", "at": "2019-08-02T10:00Z"},
                InvalidRevisionError,
                "already published",
            ),
        ],
    )
    def test_bad_input_leaves_document_unchanged(
        self,
        call: str,
        kwargs: dict[str, Any],
        error: type[Exception],
        match: str,
    ) -> None:
        """Each bad call raises its typed error and changes nothing."""
        doc = _quintet()
        before = _snapshot(doc)
        twin = copy.deepcopy(doc)
        with pytest.raises(error, match=match):
            getattr(doc, call)(**kwargs)
        assert before == _snapshot(doc)
        assert twin == doc
        doc.verify()

    def test_update_before_publish(self) -> None:
        """update() on an empty document says to publish first."""
        doc = Document("d", "T")
        with pytest.raises(InvalidRevisionError, match="publish"):
            doc.update("x", at="2019-08-02T10:00Z", note="n")
        assert 0 == len(doc.revisions)

    @pytest.mark.parametrize(
        ("args", "kwargs"),
        [
            (("", "T"), {}),
            (("d", ""), {}),
            (("d", "   "), {}),
            ((1, "T"), {}),
            (("d", "T"), {"url": 3}),
        ],
    )
    def test_bad_document(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        """Empty ids and titles, and non-str values, are refused."""
        with pytest.raises(InvalidRevisionError):
            Document(*args, **kwargs)


class TestLookup:
    """revisions, latest, revision(), at() and as_of()."""

    def test_sequence(self) -> None:
        """Document.revisions behaves as a read-only sequence."""
        doc = _quintet()
        revs = doc.revisions
        assert 2 == len(revs)
        assert ["v1", "v2"] == [r.text for r in revs]
        assert revs[-1] is doc.latest
        assert (revs[0],) == revs[:1]
        assert revs[1] in revs
        with pytest.raises(IndexError):
            revs[2]

    def test_latest_empty(self) -> None:
        """An empty document has no latest revision."""
        with pytest.raises(RevisionNotFoundError, match="publish"):
            _ = Document("d", "T").latest

    def test_refs(self) -> None:
        """Numbers, negative indexes, digest prefixes and '@' times work."""
        doc = _quintet()
        two = doc.revisions[1]
        assert two is doc.revision(2)
        assert two is doc.revision(-1)
        assert two is doc.revision(two.digest[:8])
        assert two is doc.revision(two.chain_digest[:8].upper())
        assert two is doc.revision("@2019-08-01")
        assert doc.revisions[0] is doc.revision("@2019-07-31")
        assert doc.revisions[0] is doc.revision("@2019-08-01T09:00+01:00")
        assert two is doc.revision(pendulum.datetime(2019, 9, 1, tz="UTC"))

    @pytest.mark.parametrize(
        ("ref", "match"),
        [
            (0, "1 to 2"),
            (3, "1 to 2"),
            (-3, "1 to 2"),
            ("zzzz", "expected a revision"),
            ("abc", "expected a revision"),
            ("ffff0000", "no revision"),
            ("@2019-07-30", "did not exist"),
            ("@nonsense", "expected a date"),
            (True, "expected a revision"),
        ],
    )
    def test_bad_refs(self, ref: Any, match: str) -> None:
        """Unknown references raise RevisionNotFoundError saying why."""
        with pytest.raises(RevisionNotFoundError, match=match):
            _quintet().revision(ref)

    def test_ambiguous_prefix(self) -> None:
        """A prefix matching two revisions asks for more digits."""
        doc = Document("d", "T")
        doc.publish("same", at="2019-07-31T10:00Z")
        doc.update("same", at="2019-08-01T10:00Z", note="Republished.")
        with pytest.raises(RevisionNotFoundError, match="more digits"):
            doc.revision(doc.latest.digest[:6])

    def test_at_before_first(self) -> None:
        """at() before the first publication raises, as_of() is empty."""
        doc = _quintet()
        with pytest.raises(RevisionNotFoundError, match="did not exist"):
            doc.at("2019-01-01T00:00Z")
        assert 0 == len(doc.as_of("2019-01-01T00:00Z").revisions)
        assert "" == doc.as_of("2019-01-01T00:00Z").history_text()

    @settings(max_examples=60)
    @given(steps())
    def test_at_each_instant(self, chain: list[dict[str, Any]]) -> None:
        """at(r.at) is r for the last revision made at each instant."""
        doc = build(chain)
        last_at: dict[float, Revision] = {}
        for r in doc.revisions:
            last_at[r.at.timestamp()] = r
        for r in last_at.values():
            assert r == doc.at(r.at)

    @settings(max_examples=60)
    @given(steps(), instants())
    def test_at_any_instant(
        self, chain: list[dict[str, Any]], when: pendulum.DateTime
    ) -> None:
        """at(t) is the newest revision made at or before t."""
        doc = build(chain)
        made = [
            r for r in doc.revisions if r.at.timestamp() <= when.timestamp()
        ]
        if not made:
            with pytest.raises(RevisionNotFoundError):
                doc.at(when)
        else:
            assert made[-1] == doc.at(when)


class TestPublicHistory:
    """change_history, the footer and as_of()."""

    @given(documents())
    def test_change_history(self, doc: Document) -> None:
        """Newest first: the major updates and the first publication."""
        expected = [
            (r.at.timestamp(), r.note)
            for r in reversed(doc.revisions)
            if r.update_type is UpdateType.MAJOR or r.number == 1
        ]
        assert expected == [
            (c.at.timestamp(), c.note) for c in doc.change_history
        ]
        times = [c.at.timestamp() for c in doc.change_history]
        assert sorted(times, reverse=True) == times

    @given(documents())
    def test_minor_never_in_footer(self, doc: Document) -> None:
        """Without its minor and republish updates, the footer is the same."""
        majors = [r for r in doc.revisions if r.public]
        twin = Document("doc", "A title")
        twin.publish(
            majors[0].text, at=majors[0].at, note=majors[0].note or ""
        )
        for r in majors[1:]:
            twin.update(r.text, at=r.at, note=r.note)
        assert twin.history_text() == doc.history_text()
        assert twin.history_html() == doc.history_html()

    @settings(max_examples=60)
    @given(steps())
    def test_as_of_shows_past_footer(
        self, chain: list[dict[str, Any]]
    ) -> None:
        """as_of(t).history_text() is what the footer showed at t."""
        shown: dict[float, str] = {}
        growing = Document("doc", "A title")
        for step in chain:
            append_step(growing, step)
            shown[step["at"].timestamp()] = growing.history_text()
        doc = build(chain)
        for when, footer in shown.items():
            assert (
                footer
                == doc.as_of(pendulum.from_timestamp(when)).history_text()
            )

    def test_as_of_keeps_identity(self) -> None:
        """as_of() copies id, title and url and shares revisions."""
        doc = _quintet()
        past = doc.as_of("2019-07-31T12:00+01:00")
        assert (doc.id, doc.title, doc.url) == (past.id, past.title, past.url)
        assert doc.revisions[0] is past.revisions[0]
        assert doc.last_updated is not None
        assert past.last_updated is None


class TestBackwards:
    """Histories whose time goes backwards, when allowed."""

    def test_refused_by_default(self) -> None:
        """The error names both instants and the opt-in."""
        doc = _quintet()
        with pytest.raises(ChronologyError) as info:
            doc.update("x", at="2019-07-31T12:00+01:00", note="n")
        message = str(info.value)
        assert "2019-07-31T12:00:00+01:00" in message
        assert "2019-08-01T09:15:00+01:00" in message
        assert "allow_backwards=True" in message

    def test_at_takes_highest_number(self) -> None:
        """at() answers with the newest revision in the chain made by then."""
        doc = Document("d", "T", allow_backwards=True)
        doc.publish("1", at="2020-01-01T00:00Z")
        doc.update("2", at="2020-01-10T00:00Z", note="n")
        doc.update("3", at="2020-01-05T00:00Z", note="n")
        assert "1" == doc.at("2020-01-04T00:00Z").text
        assert "3" == doc.at("2020-01-07T00:00Z").text
        assert "3" == doc.at("2020-01-11T00:00Z").text
        assert ["1", "2", "3"] == [
            r.text for r in doc.as_of("2020-01-07T00:00Z").revisions
        ]

    @settings(max_examples=60)
    @given(
        st.lists(
            st.integers(min_value=0, max_value=50), min_size=1, max_size=12
        ),
        st.integers(min_value=-5, max_value=55),
    )
    def test_at_matches_brute_force(self, days: list[int], probe: int) -> None:
        """at(t) is the highest-numbered revision made at or before t."""
        base = pendulum.datetime(2020, 1, 1, tz="UTC")
        doc = Document("d", "T", allow_backwards=True)
        doc.publish("0", at=base.add(days=days[0]))
        for i, day in enumerate(days[1:], start=1):
            doc.update(str(i), at=base.add(days=day), note="n")
        when = base.add(days=probe)
        made = [r for r in doc.revisions if r.at <= when]
        if made:
            assert max(made, key=lambda r: r.number) == doc.at(when)
            assert doc.at(when).number == len(doc.as_of(when).revisions)
        else:
            with pytest.raises(RevisionNotFoundError):
                doc.at(when)


class TestIntegrity:
    """Digests, chain digests, verify() and from_revisions()."""

    @given(documents(), st.data())
    def test_any_change_is_detected(
        self, doc: Document, data: st.DataObject
    ) -> None:
        """Changing any earlier revision changes every later chain digest."""
        revs = list(doc.revisions)
        k = data.draw(st.integers(min_value=0, max_value=len(revs) - 1))
        field = data.draw(
            st.sampled_from(["text", "note", "author", "at", "meta"])
        )
        old = revs[k]
        if field == "text":
            changed: Any = old.text + "!"
        elif field in {"note", "author"}:
            changed = (getattr(old, field) or "") + "!"
        elif field == "at":
            zone = (
                "UTC"
                if old.at.timezone_name == "Asia/Kolkata"
                else "Asia/Kolkata"
            )
            changed = old.at.in_tz(zone)
        else:
            changed = {"x": 1}
        parent = revs[k - 1].chain_digest if k else None
        rebuilt = revs[:k]
        for r in revs[k:]:
            values: dict[str, Any] = {
                "at": r.at,
                "update_type": r.update_type,
                "note": r.note,
                "author": r.author,
                "meta": r.meta,
            }
            text = r.text
            if r is old:
                if field == "text":
                    text = changed
                else:
                    values[field] = changed
            new = Revision.create(
                r.number, text, parent_chain_digest=parent, **values
            )
            rebuilt.append(new)
            parent = new.chain_digest
        for before, after in zip(revs[k:], rebuilt[k:], strict=True):
            assert before.chain_digest != after.chain_digest
        # A tampered stored chain is caught, naming the first bad revision.
        tampered = [
            *revs[:k],
            attrs.evolve(rebuilt[k], chain_digest=revs[k].chain_digest),
            *revs[k + 1 :],
        ]
        loose = Document.from_revisions(
            tampered,
            id="doc",
            title="A title",
            verify=False,
            allow_backwards=True,
        )
        with pytest.raises(IntegrityError) as info:
            loose.verify()
        assert k + 1 == info.value.revision

    def test_from_revisions_round_trip(self) -> None:
        """A document rebuilt from its revisions is equal to it."""
        doc = _quintet()
        again = Document.from_revisions(
            doc.revisions, id=doc.id, title=doc.title
        )
        assert doc == again
        assert doc != Document.from_revisions(
            doc.revisions, id=doc.id, title="Other"
        )

    def test_from_revisions_checks_numbers(self) -> None:
        """Gaps in numbering are refused."""
        doc = _quintet()
        with pytest.raises(InvalidRevisionError, match="expected 1, got 2"):
            Document.from_revisions(doc.revisions[1:], id="d", title="T")
        with pytest.raises(InvalidRevisionError, match="Revision values"):
            Document.from_revisions(["x"], id="d", title="T")  # type: ignore[list-item]

    def test_verify_progress(self) -> None:
        """verify() reports each revision checked, then stops at damage."""
        doc = _quintet()
        seen: list[tuple[int, int]] = []
        doc.verify(progress=lambda done, total: seen.append((done, total)))
        assert [(1, 2), (2, 2)] == seen
        bad = attrs.evolve(doc.revisions[1], text="forged")
        loose = Document.from_revisions(
            [doc.revisions[0], bad], id="d", title="T", verify=False
        )
        seen.clear()
        with pytest.raises(IntegrityError):
            loose.verify(
                progress=lambda done, total: seen.append((done, total))
            )
        assert [(1, 2)] == seen

    def test_text_tampering(self) -> None:
        """A changed text with its old digest fails verification."""
        doc = _quintet()
        bad = attrs.evolve(doc.revisions[0], text="forged")
        with pytest.raises(IntegrityError, match="revision 1") as info:
            Document.from_revisions([bad, doc.revisions[1]], id="d", title="T")
        assert 1 == info.value.revision


class TestDiff:
    """Document.diff()."""

    def test_diff_two_revisions(self) -> None:
        """Any two revisions can be diffed by number, prefix or time."""
        doc = _quintet()
        d = doc.diff(1, doc.latest.digest[:6])
        assert ("v1", "v2") == (d.old, d.new)
        assert ("v2", "v1") == (
            doc.diff(-1, "@2019-07-31").old,
            doc.diff(-1, "@2019-07-31").new,
        )


def test_equality_with_other_types() -> None:
    """A Document is never equal to a non-Document."""
    assert Document("d", "T") != "d"
    assert revtrack.Document("d", "T") == Document("d", "T")


class TestLoneSurrogates:
    """
    A lone surrogate cannot be digested (fuzzing found it escaping loads).

    Text was already refused; notes, authors, meta, ids, titles and URLs
    raised UnicodeEncodeError when the digest was computed.
    """

    @pytest.mark.parametrize(
        "options",
        [
            {"note": "Fixed \ud800."},
            {"author": "\udc83"},
            {"meta": {"k": "\ud800"}},
            {"meta": {"\ud800": 1}},
            {"meta": {"k": ["ok", {"deep": "\udfff"}]}},
        ],
    )
    def test_update_refused(self, options: dict[str, Any]) -> None:
        """The update is refused and the document keeps its revisions."""
        doc = Document("d", "T")
        first = doc.publish("a", at="2019-07-31T10:00Z")
        options.setdefault("note", "Changed.")
        with pytest.raises(InvalidRevisionError, match="lone surrogate"):
            doc.update("b", at="2019-08-01T10:00Z", **options)
        assert [first] == list(doc.revisions)

    @pytest.mark.parametrize(
        ("args", "options"),
        [
            (("d\ud800", "T"), {}),
            (("d", "T\udc80"), {}),
            (("d", "T"), {"url": "/\ud800"}),
        ],
    )
    def test_document_refused(
        self, args: tuple[str, str], options: dict[str, Any]
    ) -> None:
        """A document's id, title and URL must be encodable too."""
        with pytest.raises(InvalidRevisionError, match="lone surrogate"):
            Document(*args, **options)

    def test_surrogate_pairs_welcome(self) -> None:
        """Characters beyond the BMP (no lone surrogates) are kept."""
        doc = Document("d\U0001f600", "T\U0001f600", url="/\U0001f600")
        rev = doc.publish(
            "a",
            at="2019-07-31T10:00Z",
            note="\U0001f600",
            meta={"e": "\U0001f600"},
        )
        assert ("\U0001f600", "\U0001f600") == (rev.note, rev.meta["e"])


def _four_zones() -> Document:
    """Return a document whose latest and middle revisions differ in zone."""
    doc = Document("zones", "T")
    # In UTC: 12:00 and 23:00 on 31 July, 23:30 on 31 July, 03:00 on 1 Aug.
    doc.publish("1", at="2019-07-31T13:00", tz="Europe/London")
    doc.update("2", at="2019-07-31T19:00", tz="America/New_York", note="n")
    doc.update("3", at="2019-07-31T19:30", tz="America/New_York", note="n")
    doc.update("4", at="2019-08-01T04:00", tz="Europe/London", note="n")
    return doc


class TestRefEdges:
    """revision() at the edges of numbers, prefixes and '@' times."""

    def test_most_negative_index(self) -> None:
        """-count names the first revision."""
        doc = _quintet()
        assert doc.revisions[0] is doc.revision(-len(doc.revisions))

    def test_four_digit_prefix(self) -> None:
        """Four hex digits, the fewest allowed, find a revision."""
        doc = _quintet()
        two = doc.revisions[1]
        assert two is doc.revision(two.digest[:4])

    def test_ambiguous_prefix_names_five(self) -> None:
        """An ambiguous prefix's error names the first five matches."""
        doc = Document("d", "T")
        doc.publish("same", at="2019-07-31T10:00Z")
        for day in range(1, 6):
            doc.update("same", at=f"2019-08-0{day}T10:00Z", note="Again.")
        with pytest.raises(RevisionNotFoundError) as info:
            doc.revision(doc.latest.digest[:6])
        message = str(info.value)
        assert "1, 2, 3, 4, 5" in message
        assert "5, 6" not in message

    def test_time_in_latest_zone(self) -> None:
        """An '@' time with no offset is read in the latest revision's zone."""
        doc = _four_zones()
        # 23:45 in London is 22:45 UTC, before revision 2 (23:00 UTC).
        assert doc.revisions[0] is doc.revision("@2019-07-31T23:45")
        # The end of 31 July in London is 22:59:59.999999 UTC.
        assert doc.revisions[0] is doc.revision("@2019-07-31")

    def test_time_in_given_zone(self) -> None:
        """An '@' time is read in the zone passed, not the latest's."""
        doc = _four_zones()
        # 23:45 in New York is 03:45 UTC on 1 August, after revision 4.
        ny = doc.revision("@2019-07-31T23:45", tz="America/New_York")
        # 23:45 UTC is after revision 3 (23:30 UTC) only.
        utc = doc.revision("@2019-07-31T23:45", tz="UTC")
        assert (4, 3) == (ny.number, utc.number)

    def test_time_equal_to_a_revision(self) -> None:
        """An '@' time equal to a revision's instant is that revision."""
        doc = _four_zones()
        assert 3 == doc.revision("@2019-07-31T23:30Z").number
        assert 2 == doc.revision("@2019-07-31T23:29:59.999999Z").number

    def test_offset_only_reads_utc(self) -> None:
        """With only an offset in the latest revision, '@' times are UTC."""
        doc = Document("d", "T")
        doc.publish("1", at="2019-07-31T09:00+02:00")
        doc.update("2", at="2019-07-31T10:15+02:00", note="n")
        # 08:30 UTC is after revision 2 (08:15 UTC); at +02:00 it would be
        # before revision 1.
        assert 2 == doc.revision("@2019-07-31T08:30").number


class TestPassedThrough:
    """Document methods pass their options and fields on."""

    def test_diff_options(self) -> None:
        """diff() passes its options to revtrack.diff()."""
        doc = _quintet()
        expected = revtrack.diff("v1", "v2", granularity="char")
        assert expected == doc.diff(1, 2, granularity="char")
        assert expected != doc.diff(1, 2)

    def test_history_zone(self) -> None:
        """The footer's dates fall on the calendar of the zone passed."""
        doc = Document("d", "T")
        doc.publish("a", at="2019-07-31T23:30Z")
        assert "Published 31 July 2019" == doc.history_text(tz="UTC")
        assert "Published 1 August 2019" == doc.history_text()
        assert "31 July 2019" in doc.history_html(tz="UTC")
        assert "31 July 2019" not in doc.history_html()

    def test_as_of_keeps_url(self) -> None:
        """as_of() keeps the document's URL."""
        doc = Document("d", "T", url="/guidance/quintet")
        doc.publish("a", at="2019-07-31T10:00Z")
        assert "/guidance/quintet" == doc.as_of("2019-08-01T00:00Z").url

    def test_blame_options(self) -> None:
        """blame() passes its granularity and revision on."""
        doc = Document("d", "T")
        doc.publish("one two\n", at="2019-07-31T10:00Z")
        doc.update("one three\n", at="2019-08-01T10:00Z", note="Three.")
        doc.update("one three\nfour\n", at="2019-08-02T10:00Z", note="4.")
        for granularity in ("line", "word"):
            for revision in (None, 2):
                expected = revtrack.blame(
                    doc, granularity=granularity, revision=revision
                )
                assert expected == doc.blame(
                    granularity=granularity, revision=revision
                )
        assert doc.blame() != doc.blame(granularity="word")
        assert doc.blame() != doc.blame(revision=2)

    def test_audit(self) -> None:
        """audit() gives revtrack.audit()'s findings for the document."""
        doc = Document("d", "T")
        doc.publish("a", at="2019-07-31T10:00Z")
        doc.update("a", at="2019-08-01T10:00Z", minor=True)
        findings = doc.audit()
        assert findings
        assert revtrack.audit(doc) == findings

    def test_from_govuk_content_item(self) -> None:
        """The class method reads a content item like the GOV.UK reader."""
        item = {
            "title": "Quintet",
            "base_path": "/government/news/quintet",
            "first_published_at": "2019-07-31T10:30:00.000+01:00",
            "public_updated_at": "2019-07-31T10:30:00.000+01:00",
            "details": {
                "body": "<p>Hi</p>",
                "change_history": [
                    {
                        "public_timestamp": "2019-07-31T10:30:00.000+01:00",
                        "note": "First published.",
                    }
                ],
            },
        }
        doc = Document.from_govuk_content_item(item)
        assert ["First published."] == [r.note for r in doc.revisions]
        assert "Quintet" == doc.title


class TestFrozenMapHash:
    """Frozen maps hash by their items."""

    def test_equal_maps_hash_alike(self) -> None:
        """Maps with the same items in any order have one hash."""
        one = FrozenMap({"a": 1, "b": (2, 3)})
        two = FrozenMap({"b": (2, 3), "a": 1})
        assert hash(one) == hash(two)
        assert hash(tuple(sorted({"a": 1, "b": (2, 3)}.items()))) == hash(one)
        assert 1 == len({one, two})
        assert hash(one) != hash(FrozenMap({"a": 2, "b": (2, 3)}))


class TestErrorsName:
    """Errors name the revision, instant or field at fault."""

    def test_backwards_names_the_new_number(self) -> None:
        """A refused update names the number it would have had."""
        doc = _quintet()
        with pytest.raises(ChronologyError) as info:
            doc.update("x", at="2019-07-31T12:00+01:00", note="n")
        assert "revision 3 " in str(info.value)

    def test_before_first_names_it(self) -> None:
        """A time before the first revision's gives that revision's time."""
        doc = _quintet()
        with pytest.raises(RevisionNotFoundError) as info:
            doc.at("2019-01-01T00:00Z")
        assert revtrack.format_timestamp(doc.revisions[0].at) in str(
            info.value
        )

    def test_empty_document(self) -> None:
        """No time finds a revision of an empty document."""
        with pytest.raises(RevisionNotFoundError):
            Document("d", "T").at("2019-01-01T00:00Z")

    @pytest.mark.parametrize("field", ["note", "author"])
    @pytest.mark.parametrize("value", [3, "\ud800"])
    def test_optional_text_field(self, field: str, value: Any) -> None:
        """A bad note or author is refused, naming the field."""
        good = Revision.create(1, "a", at="2019-07-31T10:00Z")
        with pytest.raises(InvalidRevisionError, match=f"^{field} "):
            attrs.evolve(good, **{field: value})


class TestErrorDetails:
    """Integrity and lookup errors say which document, revision and value."""

    def test_chain_damage_names_document(self) -> None:
        """A changed note fails verify(), naming the document and revision."""
        doc = _quintet()
        bad = attrs.evolve(doc.revisions[1], note="A different note.")
        loose = Document.from_revisions(
            [doc.revisions[0], bad], id="quintet", title="T", verify=False
        )
        with pytest.raises(IntegrityError) as info:
            loose.verify()
        assert (2, True) == (
            info.value.revision,
            "revision 2 of 'quintet'" in str(info.value),
        )

    @pytest.mark.parametrize("when", ["yesterday", "2019-13-45T10:00Z"])
    def test_bad_time_quoted(self, when: str) -> None:
        """An unreadable time is a lookup error that quotes the time."""
        doc = _quintet()
        with pytest.raises(RevisionNotFoundError) as info:
            doc.at(when)
        assert repr(when) in str(info.value)

    def test_wrong_type_named(self) -> None:
        """A value that is not a Revision is named by type and position."""
        doc = _quintet()
        with pytest.raises(InvalidRevisionError) as info:
            Document.from_revisions(
                [doc.revisions[0], 2.5],  # type: ignore[list-item]
                id="d",
                title="T",
            )
        assert "float at position 2" in str(info.value)

    def test_backwards_as_of_before_first(self) -> None:
        """Before any revision was made, a backwards document is empty."""
        doc = Document("d", "T", allow_backwards=True)
        doc.publish("1", at="2020-01-05T00:00Z")
        doc.update("2", at="2020-01-10T00:00Z", note="n")
        doc.update("3", at="2020-01-07T00:00Z", note="n")
        assert [] == list(doc.as_of("2020-01-01T00:00Z").revisions)
