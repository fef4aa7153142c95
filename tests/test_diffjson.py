from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import Diff, Edit, Move, Op, diff, dumps_diff, loads_diff
from revtrack.exceptions import FormatError

from .test_patch import chains

if TYPE_CHECKING:
    from revtrack._tokens import Granularity

_SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[1]
        / "docs"
        / "schemas"
        / "diff.v1.schema.json"
    ).read_text()
)

granularities: st.SearchStrategy[Granularity] = st.sampled_from(
    ["char", "word", "sentence", "line", "paragraph"]
)


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(dumps_diff(diff("the cat", "the dog")))
    return doc


class TestRoundTrip:
    """dumps_diff and loads_diff."""

    @settings(max_examples=80, deadline=None)
    @given(chains(), granularities, st.booleans())
    def test_round_trip(
        self,
        texts3: tuple[str, str, str],
        granularity: Granularity,
        ignore_case: bool,
    ) -> None:
        """Reading the JSON back gives an equal diff, valid by the schema."""
        a, b, _ = texts3
        d = diff(a, b, granularity=granularity, ignore_case=ignore_case)
        text = dumps_diff(d)
        jsonschema.validate(json.loads(text), _SCHEMA)
        assert d == loads_diff(text)

    def test_moves_round_trip(self) -> None:
        """A diff with a moved block keeps its move."""
        edits = (
            Edit(Op.DELETE, "Moved para.\n\n", move=0),
            Edit(Op.EQUAL, "Stays.\n\n"),
            Edit(Op.INSERT, "Moved para!\n\n", move=0),
        )
        inner = (Edit(Op.EQUAL, "Moved para"), Edit(Op.DELETE, "."))
        d = Diff(edits, "paragraph", (Move(0, 0, 2, inner),))
        jsonschema.validate(json.loads(dumps_diff(d, indent=2)), _SCHEMA)
        assert d == loads_diff(dumps_diff(d, indent=2))

    def test_ignored_text_kept(self) -> None:
        """An equal edit's differing old text survives the trip."""
        d = Diff((Edit(Op.EQUAL, "Cat", old="cat"),), "word")
        assert "cat" == loads_diff(dumps_diff(d)).old


class TestErrors:
    """loads_diff on bad input."""

    @given(st.text())
    def test_fuzz(self, text: str) -> None:
        """Any text either reads or raises FormatError."""
        with contextlib.suppress(FormatError):
            loads_diff(text)

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        ["op", "text", "move", "old", "id", "source", "edits"]
                    ),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=10,
        ),
        st.sampled_from(["edits", "moves", "granularity"]),
    )
    def test_fuzz_structure(self, value: object, key: str) -> None:
        """Any value in a known key either reads or raises FormatError."""
        doc = _doc()
        doc[key] = value
        with contextlib.suppress(FormatError):
            loads_diff(json.dumps(doc))

    def test_newer_version_named(self) -> None:
        """A newer version is refused, naming that version."""
        doc = _doc()
        doc["version"] = 7
        with pytest.raises(FormatError, match="version 7 is not supported"):
            loads_diff(json.dumps(doc))

    def test_other_format(self) -> None:
        """A patch document is not a diff document."""
        doc = _doc()
        doc["format"] = "revtrack.patch"
        with pytest.raises(FormatError, match=r"\$\.format: expected"):
            loads_diff(json.dumps(doc))

    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            (("edits", 1, "op"), "replace", r"\$\.edits\[1\]\.op"),
            (("edits", 0, "text"), 5, r"\$\.edits\[0\]\.text: expected a s"),
            (("edits", 0, "text"), "\ud800", "lone surrogate"),
            (("edits", 1, "move"), -1, r"\$\.edits\[1\]\.move"),
            (("edits", 1, "old"), "x", "only an equal edit"),
            (("granularity",), [], r"\$\.granularity"),
            (("edits",), {}, r"\$\.edits: expected an array"),
            (("version",), "1", r"\$\.version: expected an integer"),
            (("edits", 1, "move"), 1.5, r"\$\.edits\[1\]\.move: expected an"),
        ],
    )
    def test_error_names_path(
        self, path: tuple[Any, ...], value: object, message: str
    ) -> None:
        """Each error names the JSON path of the bad value."""
        doc = _doc()
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        text = json.dumps(doc)
        with pytest.raises(FormatError, match=message):
            loads_diff(text)

    def test_move_id_must_match(self) -> None:
        """A move's ends must carry its id."""
        doc = _doc()
        doc["edits"][1]["move"] = 3
        doc["edits"][2]["move"] = 3
        doc["moves"] = [{"id": 4, "source": 1, "destination": 2, "edits": []}]
        with pytest.raises(FormatError, match="does not carry move id 4"):
            loads_diff(json.dumps(doc))

    def test_non_str_refused(self) -> None:
        """Only JSON text is read."""
        with pytest.raises(FormatError, match="as str, got dict"):
            loads_diff({})  # type: ignore[arg-type]

    def test_bad_move_index(self) -> None:
        """A move pointing at an edit of the wrong kind is refused."""
        doc = _doc()
        doc["moves"] = [{"id": 0, "source": 0, "destination": 1, "edits": []}]
        with pytest.raises(FormatError, match=r"\$\.moves\[0\]\.source"):
            loads_diff(json.dumps(doc))

    def test_not_json_names_offset(self) -> None:
        """Broken JSON is named by line, column and offset."""
        with pytest.raises(FormatError, match="line 2, column 1 \\(offset 2"):
            loads_diff("{\n]")

    def test_nan_refused(self) -> None:
        """NaN is not JSON and is refused."""
        with pytest.raises(FormatError, match="NaN"):
            loads_diff('{"format": NaN}')

    def test_deep_nesting_refused(self) -> None:
        """Deeply nested input gives a FormatError, not a RecursionError."""
        with pytest.raises(FormatError):
            loads_diff("[" * 100_000 + "]" * 100_000)

    def test_unknown_key(self) -> None:
        """An unknown key is named and refused, as the schema refuses it."""
        doc = _doc()
        doc["extra"] = True
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, _SCHEMA)
        with pytest.raises(FormatError, match=r"\$\.extra: unknown key"):
            loads_diff(json.dumps(doc))
