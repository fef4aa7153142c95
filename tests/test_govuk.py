"""Reading GOV.UK content items."""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import revtrack
from revtrack import Document, check_govuk_content_item
from revtrack.exceptions import FormatError, InconsistencyWarning

#: Shaped like the Content API's answer for a news story: the change
#: history out of order, with mixed UTC offsets and milliseconds.
ITEM: dict[str, Any] = {
    "base_path": "/government/news/attorneys-general-lead-international-"
    "cooperation-to-combat-cybercrime",
    "content_id": "5c7f9c9a-0000-4000-8000-000000000001",
    "document_type": "press_release",
    "locale": "en",
    "title": "Attorneys General lead international cooperation to combat "
    "cybercrime",
    "first_published_at": "2019-07-31T10:30:00.000+01:00",
    "public_updated_at": "2019-08-01T09:15:21.000+01:00",
    "updated_at": "2019-08-02T16:02:11.123+01:00",
    "details": {
        "body": '<div class="govspeak"><p>At a meeting held in London, '
        "the Quintet signed a statement.</p></div>",
        "change_history": [
            {
                "public_timestamp": "2019-07-31T09:30:00.000Z",
                "note": "First published.",
            },
            {
                "public_timestamp": "2019-08-01T09:15:21.000+01:00",
                "note": "Added link to Quintet communiqué.",
            },
        ],
    },
}


def _read(item: dict[str, Any]) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return Document.from_govuk_content_item(item)


class TestRead:
    """Document.from_govuk_content_item()."""

    def test_derived_fields_agree_with_govuk(self) -> None:
        """First published, last updated and the history match the item."""
        doc = _read(ITEM)
        assert doc.first_published is not None
        assert doc.last_updated is not None
        assert "2019-07-31T10:30:00+01:00" == doc.first_published.isoformat()
        assert "2019-08-01T09:15:21+01:00" == doc.last_updated.isoformat()
        assert [
            "Added link to Quintet communiqué.",
            "First published.",
        ] == [c.note for c in doc.change_history]
        assert "Europe/London" == doc.latest.at.timezone_name
        assert ITEM["content_id"] == doc.id
        assert "https://www.gov.uk" + ITEM["base_path"] == doc.url
        assert ITEM["details"]["body"] == doc.latest.text
        assert {"govuk": {"text": "unknown"}} == doc.revisions[0].meta
        assert () == check_govuk_content_item(ITEM)

    def test_footer(self) -> None:
        """The footer is the page's footer."""
        assert (
            "Published 31 July 2019\nLast updated 1 August 2019\n"
            "+ show all updates\n\n"
            "1. 1 August 2019 Added link to Quintet communiqué.\n"
            "2. 31 July 2019 First published."
        ) == _read(ITEM).history_text()

    def test_input_unchanged(self) -> None:
        """Reading does not change the item."""
        item = copy.deepcopy(ITEM)
        _read(item)
        assert ITEM == item

    def test_body_as_content_types(self) -> None:
        """A body given as a list of content types yields the HTML one."""
        item = copy.deepcopy(ITEM)
        item["details"]["body"] = [
            {"content_type": "text/govspeak", "content": "x"},
            {"content_type": "text/html", "content": "<p>y</p>"},
        ]
        assert "<p>y</p>" == _read(item).latest.text

    def test_no_change_history(self) -> None:
        """An item with no history is published once, with a warning."""
        item = copy.deepcopy(ITEM)
        del item["details"]["change_history"]
        item["public_updated_at"] = item["first_published_at"]
        with pytest.warns(InconsistencyWarning, match="no entry"):
            doc = Document.from_govuk_content_item(item)
        assert ["First published."] == [c.note for c in doc.change_history]


class TestInconsistencies:
    """Disagreements inside an item are reported, not hidden."""

    def test_public_updated_at_mismatch(self) -> None:
        """public_updated_at later than the newest change note is reported."""
        item = copy.deepcopy(ITEM)
        item["public_updated_at"] = "2019-08-03T12:00:00.000+01:00"
        problems = check_govuk_content_item(item)
        assert 1 == len(problems)
        assert "public_updated_at 2019-08-03T12:00:00+01:00" in problems[0]
        with pytest.warns(InconsistencyWarning, match="public_updated_at"):
            doc = Document.from_govuk_content_item(item)
        # The history itself is still read as given.
        assert 2 == len(doc.change_history)

    def test_note_before_first_published(self) -> None:
        """A change note older than first_published_at is reported."""
        item = copy.deepcopy(ITEM)
        item["details"]["change_history"].append(
            {"public_timestamp": "2019-07-01T09:00:00Z", "note": "Draft."}
        )
        problems = check_govuk_content_item(item)
        assert any("older than first_published_at" in p for p in problems)


class TestBadItems:
    """Malformed items raise FormatError naming the field."""

    @pytest.mark.parametrize(
        ("change", "match"),
        [
            (lambda i: i.pop("title"), "'title'"),
            (lambda i: i.update(title=3), "'title' to be a str"),
            (lambda i: i.pop("first_published_at"), "first_published_at"),
            (
                lambda i: i.update(first_published_at="31/07/2019"),
                "first_published_at",
            ),
            (lambda i: i["details"].update(change_history="x"), "list"),
            (lambda i: i.update(details=[]), "'details'"),
            (lambda i: i["details"]["change_history"].append(3), r"\[2\]"),
            (lambda i: i["details"]["change_history"][0].pop("note"), "note"),
            (
                lambda i: i["details"]["change_history"][0].update(note=" "),
                "note",
            ),
            (
                lambda i: i["details"]["change_history"][0].update(
                    public_timestamp="now"
                ),
                r"change_history\[0\]",
            ),
        ],
    )
    def test_bad(self, change: Any, match: str) -> None:
        """Each malformed item gives a FormatError naming what is wrong."""
        item = copy.deepcopy(ITEM)
        change(item)
        snapshot = json.dumps(item, sort_keys=True)
        with pytest.raises(FormatError, match=match):
            Document.from_govuk_content_item(item)
        assert snapshot == json.dumps(item, sort_keys=True)

    @given(
        st.sampled_from(
            [
                ("title",),
                ("base_path",),
                ("first_published_at",),
                ("public_updated_at",),
                ("details",),
                ("details", "body"),
                ("details", "change_history"),
                ("details", "change_history", 0),
                ("details", "change_history", 0, "note"),
                ("details", "change_history", 1, "public_timestamp"),
            ]
        ),
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=30)
        | st.lists(st.text(max_size=5), max_size=3)
        | st.dictionaries(st.text(max_size=5), st.text(max_size=5)),
    )
    def test_fuzz_fields(self, path: tuple[Any, ...], value: Any) -> None:
        """Any field replaced by any JSON value reads or raises FormatError."""
        item = copy.deepcopy(ITEM)
        target: Any = item
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InconsistencyWarning)
            try:
                doc = Document.from_govuk_content_item(item)
            except FormatError:
                return
        doc.verify()

    def test_not_a_mapping(self) -> None:
        """A list is not a content item."""
        with pytest.raises(FormatError, match="JSON object"):
            check_govuk_content_item([])  # type: ignore[arg-type]

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=30),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "title",
                            "base_path",
                            "first_published_at",
                            "public_updated_at",
                            "details",
                            "change_history",
                            "public_timestamp",
                            "note",
                            "body",
                        ]
                    ),
                    children,
                    max_size=6,
                )
            ),
            max_leaves=20,
        )
    )
    def test_fuzz(self, item: Any) -> None:
        """Any JSON value reads, or raises FormatError; nothing else."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InconsistencyWarning)
            try:
                doc = revtrack.Document.from_govuk_content_item(item)
            except FormatError:
                return
        doc.verify()
