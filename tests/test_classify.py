"""classify, suggest_update, audit and links_diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import (
    Document,
    LabelKind,
    Link,
    LinkChange,
    UpdateType,
    audit,
    classify,
    diff,
    links_diff,
    suggest_update,
)

SEED = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "seed"
    / "quintet-press-release.txt"
)
K = LabelKind


def _kinds(old: str, new: str) -> list[LabelKind]:
    return [label.kind for label in classify(diff(old, new))]


class TestLabels:
    """Each kind of change gets its label from a small hand-written pair."""

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ("The  cat sat.", "The cat sat.", [K.WHITESPACE]),
            ("a b c", "a b\n\nc", [K.WHITESPACE]),
            ('He said "hi".', "He said \u201chi\u201d.", [K.PUNCTUATION]),
            ("A long-term plan.", "A long\u2013term plan.", [K.PUNCTUATION]),
            ("The cat sat", "The cat sat.", [K.PUNCTUATION]),
            ("the Attorney general", "the Attorney General", [K.CASE]),
            (
                "a statement reafirming it",
                "a statement reaffirming it",
                [K.SPELLING],
            ),
            ("It is now done.", "It is not done.", [K.WORDING]),
            ("We have 5 cats.", "We have 6 cats.", [K.NUMBER]),
            (
                "Held on 31 July 2019 in London.",
                "Held on 1 August 2019 in London.",
                [K.DATE],
            ),
            ("Due 2019-07-31.", "Due 2019-08-01.", [K.DATE]),
            ("The cat sat.", "The dog sat.", [K.WORDING]),
            ("One. Two.", "One. New here. Two.", [K.SENTENCE_ADDED]),
            ("One. Gone now. Two.", "One. Two.", [K.SENTENCE_REMOVED]),
            (
                "First one here. Second one there.",
                "Second one there. First one here.",
                [K.SENTENCE_MOVED],
            ),
            ("P one.\n", "P one.\n\nP two here.\n", [K.PARAGRAPH_ADDED]),
            ("P one.\n\nP two.\n", "P two.\n", [K.PARAGRAPH_REMOVED]),
            (
                "P one.\n\nP two.\n\nP three.\n",
                "P two.\n\nP three.\n\nP one.\n",
                [K.PARAGRAPH_MOVED],
            ),
            ("See the plan.", "See [the plan](/p).", [K.LINK_ADDED]),
            ("See [the plan](/p).", "See the plan.", [K.LINK_REMOVED]),
            ("See [the plan](/p).", "See [the plan](/q).", [K.LINK_TARGET]),
            ("See [the plan](/p).", "See [our plan](/p).", [K.LINK_TEXT]),
            (
                'See <a href="/p">the plan</a>.',
                'See <a href="/q">the plan</a>.',
                [K.LINK_TARGET],
            ),
        ],
    )
    def test_label(
        self, old: str, new: str, expected: list[LabelKind]
    ) -> None:
        """The pair gets exactly the expected labels."""
        assert expected == _kinds(old, new)

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ("A  b.\n\nC d.\n", "A b.\n\nC e.\n", [K.WHITESPACE, K.WORDING]),
            ("a  b c.", "a b d.", [K.WHITESPACE, K.WORDING]),
        ],
    )
    def test_whitespace_beside_other_changes(
        self, old: str, new: str, expected: list[LabelKind]
    ) -> None:
        """White space changed in a paragraph or sentence is labelled too."""
        assert expected == _kinds(old, new)

    def test_equal(self) -> None:
        """Equal texts get no labels."""
        assert [] == _kinds("Same text.", "Same text.")

    def test_spans_point_into_texts(self) -> None:
        """Each span's offsets cut its text out of the side it names."""
        old = "Held on 3 May 2019. See the plan.\n\nGone para.\n"
        new = "Held on 4 May 2019. See [the plan](/p).\n\nNew para.\n"
        for label in classify(diff(old, new)):
            for span in label.old:
                assert span.text == old[span.start : span.end]
            for span in label.new:
                assert span.text == new[span.start : span.end]

    def test_date_spans_are_dates(self) -> None:
        """A date label points at the whole old and new dates."""
        (label,) = classify(diff("On 3 May 2019.", "On 4 May 2019."))
        assert (["3 May 2019"], ["4 May 2019"]) == (
            [s.text for s in label.old],
            [s.text for s in label.new],
        )

    @given(st.text(), st.data())
    @settings(max_examples=150, deadline=None)
    def test_whitespace_only_never_wording(
        self, text: str, data: st.DataObject
    ) -> None:
        """A change of white space only is labelled whitespace or nothing."""
        spaces = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", ""])
        parts = text.split()
        old = " ".join(parts)
        new = data.draw(spaces).join(
            p + data.draw(spaces) if i % 2 else p for i, p in enumerate(parts)
        )
        kinds = _kinds(old, new)
        assert kinds in ([], [K.WHITESPACE])

    @given(st.text(), st.text())
    @settings(max_examples=150, deadline=None)
    def test_never_raises(self, old: str, new: str) -> None:
        """Any pair of texts gets labels whose spans lie inside the texts."""
        for label in classify(diff(old, new)):
            assert all(0 <= s.start <= s.end <= len(old) for s in label.old)
            assert all(0 <= s.start <= s.end <= len(new) for s in label.new)

    @given(st.text(alphabet="ab .\n[]()/", max_size=40), st.data())
    @settings(max_examples=150, deadline=None)
    def test_changed_text_is_labelled(
        self, old: str, data: st.DataObject
    ) -> None:
        """Texts that differ get at least one label; equal ones get none."""
        new = data.draw(st.text(alphabet="ab .\n[]()/", max_size=40))
        assert (old != new) == bool(classify(diff(old, new)))


class TestSuggestUpdate:
    """suggest_update drafts GOV.UK-style notes."""

    def test_seed_link(self) -> None:
        """The seed's change is a link addition, major, with its note."""
        if not SEED.exists():
            pytest.skip(f"no seed at {SEED}")
        lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
        # The page body: everything above the "Published ..." footer.
        footer = next(ln for ln in lines if ln.startswith("Published"))
        body = "".join(lines[: lines.index(footer)])
        link = (
            "[Quintet communiqué](https://www.gov.uk/government/"
            "publications/quintet-of-attorneys-general-communique)\n\n"
        )
        marker = "Commenting on the meeting"
        at = body.index(marker)
        old, new = body, body[:at] + link + body[at:]
        kinds = _kinds(old, new)
        assert K.LINK_ADDED in kinds
        suggestion = suggest_update(diff(old, new))
        assert (UpdateType.MAJOR, "Added link to Quintet communiqué.") == (
            suggestion.update_type,
            suggestion.note,
        )

    def test_inline_link_added(self) -> None:
        """Text added around an added link is described by the link."""
        suggestion = suggest_update(
            diff("Statement.\n", "Statement. Read the [Report](/r).\n")
        )
        assert "Added link to Report." == suggestion.note

    @pytest.mark.parametrize(
        ("old", "new", "update_type", "note"),
        [
            (
                "Held on 31 July 2019.",
                "Held on 1 August 2019.",
                UpdateType.MAJOR,
                "Corrected the date 31 July 2019 to 1 August 2019.",
            ),
            ("Teh cat.", "The cat.", UpdateType.MAJOR, "Updated wording."),
            (
                "a cat.",
                "A cat.",
                UpdateType.MINOR,
                "Corrected capitalisation.",
            ),
            ("a  cat.", "a cat.", UpdateType.MINOR, "Fixed formatting."),
            ("a cat", "a cat.", UpdateType.MINOR, "Corrected punctuation."),
            (
                "We are reafirming it.",
                "We are reaffirming it.",
                UpdateType.MINOR,
                "Corrected spelling.",
            ),
            (
                "Intro.\n",
                "Intro.\n\n## Documents\n\n- [Report](/r)\n",
                UpdateType.MAJOR,
                "Added link to Report.",
            ),
            (
                "Intro.\n",
                "Intro.\n\n## Background\n\nIt began in 2018.\n",
                UpdateType.MAJOR,
                (
                    "Added section \u201cBackground\u201d. Added text"
                    " beginning \u201cIt began in 2018.\u201d."
                ),
            ),
            ("x", "x", UpdateType.MINOR, "No changes."),
            (
                "[a](/1) and [b](/2)",
                "and",
                UpdateType.MAJOR,
                "Removed links to a and b.",
            ),
            (
                "Intro.\n",
                "Intro.\n\nWe added a long new paragraph of text here.\n",
                UpdateType.MAJOR,
                (
                    "Added text beginning \u201cWe added a long new paragraph"
                    " of text\u2026\u201d."
                ),
            ),
        ],
    )
    def test_rules(
        self, old: str, new: str, update_type: UpdateType, note: str
    ) -> None:
        """Each rule gives its update type and note."""
        suggestion = suggest_update(diff(old, new))
        assert (update_type, note) == (suggestion.update_type, suggestion.note)

    def test_many_kinds(self) -> None:
        """Past three clauses, the note ends with "Made other changes."."""
        suggestion = suggest_update(
            diff(
                "On 3 May 2019. We have 5 cats. The sky is blue.",
                "On 4 May 2019. We have 6 cats. The sea is green. [a](/a)",
            )
        )
        assert suggestion.note.endswith(". Made other changes.")
        assert 4 == suggestion.note.count(".")

    def test_reasons_name_each_label(self) -> None:
        """There is one reason per label, starting with its kind."""
        suggestion = suggest_update(
            diff("On 3 May. See it.", "On 4 May. See [it](/i).")
        )
        assert [lb.kind.value for lb in suggestion.labels] == [
            r.split(":")[0] for r in suggestion.reasons
        ]


class TestLinksDiff:
    """links_diff compares links as (text, target) pairs."""

    def test_kinds(self) -> None:
        """Added, removed and changed (text or target) links."""
        old = "[a](/1) [b](/2) [c](/3) [same](/s)"
        new = "[a](/9) [B2](/2) [same](/s) [d](/4)"
        assert [
            LinkChange("changed", Link("a", "/1"), Link("a", "/9")),
            LinkChange("changed", Link("b", "/2"), Link("B2", "/2")),
            LinkChange("added", None, Link("d", "/4")),
            LinkChange("removed", Link("c", "/3"), None),
        ] == list(links_diff(old, new))

    def test_base_url(self) -> None:
        """A relative and an absolute target are equal under a base URL."""
        old = "[a](/x/y)"
        new = "[a](https://gov.uk/x/y)"
        assert () == links_diff(old, new, base_url="https://gov.uk/z")
        assert ("changed",) == tuple(c.kind for c in links_diff(old, new))

    def test_duplicates_counted(self) -> None:
        """A second copy of a link is an addition."""
        assert ("added",) == tuple(
            c.kind for c in links_diff("[a](/1)", "[a](/1) [a](/1)")
        )

    @given(st.text(), st.text())
    @settings(max_examples=100, deadline=None)
    def test_swap(self, old: str, new: str) -> None:
        """Swapping the texts swaps added and removed."""
        forward = sorted(c.kind for c in links_diff(old, new))
        back = sorted(
            {"added": "removed", "removed": "added"}.get(c.kind, c.kind)
            for c in links_diff(new, old)
        )
        assert forward == back


def _history(*steps: tuple[str, dict[str, object]]) -> Document:
    doc = Document("d", "T", allow_backwards=True)
    text, options = steps[0]
    doc.publish(text, at=str(options["at"]))
    for text, options in steps[1:]:
        doc.update(text, **options)  # type: ignore[arg-type]
    return doc


class TestAudit:
    """audit finds what the public record hides."""

    def test_findings(self) -> None:
        """Each rule fires on the revision that breaks it, and only there."""
        doc = _history(
            ("Held on 3 May 2019.\n", {"at": "2019-05-01T10:00Z"}),
            (
                "Held on 4 May 2019.\n",
                {"at": "2019-05-02T10:00Z", "minor": True},
            ),
            (
                "Held on 4 May 2019. More.\n",
                {"at": "2019-05-03T10:00Z", "note": "Added link to the plan."},
            ),
            (
                "Held on 4 May 2019. More.\n",
                {"at": "2019-05-04T10:00Z", "minor": True},
            ),
            (
                "Held on 4 May 2019. More!\n",
                {"at": "2019-05-01T09:00Z", "minor": True},
            ),
            (
                "Held on 4 May 2019. More!\n",
                {"at": "2019-05-06T10:00Z", "republish": True},
            ),
        )
        assert [
            (2, "substantive-minor"),
            (3, "note-mismatch"),
            (4, "identical"),
            (5, "time-backwards"),
        ] == [(f.revision, f.rule) for f in audit(doc)]

    def test_truthful_history(self) -> None:
        """A history whose notes match its changes has no findings."""
        doc = _history(
            ("See the plan.\n", {"at": "2019-05-01T10:00Z"}),
            (
                "See [the plan](/p).\n",
                {"at": "2019-05-02T10:00Z", "note": "Added link to the plan."},
            ),
            (
                "See [the plan](/p)!\n",
                {"at": "2019-05-03T10:00Z", "minor": True},
            ),
        )
        assert () == audit(doc)

    def test_evidence_names_the_change(self) -> None:
        """The evidence of a stealth edit names what changed."""
        doc = _history(
            ("We have 5 cats.\n", {"at": "2019-05-01T10:00Z"}),
            ("We have 6 cats.\n", {"at": "2019-05-02T10:00Z", "minor": True}),
        )
        (finding,) = audit(doc)
        assert "number changed" in finding.evidence

    def test_method(self) -> None:
        """Document.audit() gives the same findings as audit()."""
        doc = _history(
            ("a\n", {"at": "2019-05-01T10:00Z"}),
            ("a\n", {"at": "2019-05-02T10:00Z", "minor": True}),
        )
        assert audit(doc) == doc.audit()


class TestClaimRegressions:
    """Note claims: a bounded gap between verb and "link" keeps them cheap."""

    def test_claim_within_a_sentence(self) -> None:
        """A claimed link with no link change is still a note mismatch."""
        doc = _history(
            ("See the plan.\n", {"at": "2019-05-01T10:00Z"}),
            (
                "See the plans.\n",
                {
                    "at": "2019-05-02T10:00Z",
                    "note": "Added, after much discussion, a link.",
                },
            ),
        )
        assert [(2, "note-mismatch")] == [
            (f.revision, f.rule) for f in audit(doc)
        ]

    def test_long_note_of_verbs(self) -> None:
        """A 50,000-character note of verbs makes no claim, and ends."""
        doc = _history(
            ("See the plan.\n", {"at": "2019-05-01T10:00Z"}),
            (
                "See the plans.\n",
                {"at": "2019-05-02T10:00Z", "note": "add fix " * 6_250},
            ),
        )
        assert [] == [f.rule for f in audit(doc) if f.rule == "note-mismatch"]
