from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import (
    ApplyResult,
    Diff,
    Edit,
    Hunk,
    HunkResult,
    Op,
    Patch,
    diff,
    format_delta,
    make_patch,
    parse_delta,
)
from revtrack.exceptions import (
    PatchConflictError,
    PatchError,
    PatchFormatError,
)

from . import corpora

if TYPE_CHECKING:
    from revtrack._tokens import Granularity

# Pieces that break code written for ASCII: astral characters (one a ZWJ
# sequence), combining marks, CRLF and lone CR, CJK, escapes' own '%'.
_PIECES = (
    "a",
    "b",
    "cat",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\U0001f600",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "e\u0301",
    "\u00e9",
    "\u7684",
    "%",
    ".",
    "\t",
)


def texts(max_pieces: int = 12) -> st.SearchStrategy[str]:
    """Texts built of tricky pieces, sometimes empty."""
    piece = st.one_of(st.sampled_from(_PIECES), st.text(max_size=3))
    return st.lists(piece, max_size=max_pieces).map("".join)


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """A text made from *text* by a few splices."""
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        stop = draw(st.integers(start, min(len(text), start + 5)))
        text = text[:start] + draw(texts(3)) + text[stop:]
    return text


@st.composite
def chains(draw: st.DrawFn) -> tuple[str, str, str]:
    """Three texts, each usually an edit of the one before."""
    a = draw(texts())
    b = draw(st.one_of(edited(a), texts()))
    c = draw(st.one_of(edited(b), texts()))
    return a, b, c


granularities: st.SearchStrategy[Granularity] = st.sampled_from(
    ["char", "word", "line"]
)
contexts = st.integers(min_value=0, max_value=6)

_JS = Path(__file__).parent / "js"


def run_js(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run *jobs* through the JavaScript diff-match-patch with node."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the JavaScript check")
    if not (_JS / "node_modules" / "diff-match-patch").is_dir():
        subprocess.run(
            [
                "npm",
                "install",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--silent",
            ],
            cwd=_JS,
            check=True,
            timeout=600,
        )
    done = subprocess.run(
        ["node", str(_JS / "dmp_apply.js")],
        input=json.dumps(jobs).encode(),
        capture_output=True,
        check=True,
        timeout=600,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def _python_dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    return dmp


class TestMakePatch:
    """make_patch and Patch.from_diff."""

    @settings(max_examples=150, deadline=None)
    @given(chains(), granularities, contexts)
    def test_apply_gives_new(
        self,
        texts3: tuple[str, str, str],
        granularity: Granularity,
        context: int,
    ) -> None:
        """Applying the patch from a to b to a gives b."""
        a, b, _ = texts3
        patch = make_patch(a, b, granularity=granularity, context=context)
        assert b == patch.apply(a)

    def test_equal_texts_give_no_hunks(self) -> None:
        """A patch between equal texts has no hunks and changes nothing."""
        patch = make_patch("same \U0001f600", "same \U0001f600")
        assert ((), "x") == (patch.hunks, patch.apply("x"))

    def test_offsets_count_utf16_units(self) -> None:
        """Hunk starts count an astral character as two units."""
        patch = make_patch(
            "\U0001f600\U0001f600 abc",
            "\U0001f600\U0001f600 abd",
            granularity="char",
            context=1,
        )
        assert [(6, 6)] == [(h.old_start, h.new_start) for h in patch.hunks]

    def test_context_is_kept_around_changes(self) -> None:
        """Each hunk carries *context* characters on both sides."""
        patch = make_patch(
            "0123456789", "01234X6789", granularity="char", context=2
        )
        assert ["34", "X", "67"] == [
            e.text for e in patch.hunks[0].edits if e.text != "5"
        ]

    def test_far_changes_make_two_hunks(self) -> None:
        """Changes more than twice the context apart get separate hunks."""
        old = "a" + "-" * 20 + "b"
        patch = make_patch(old, "A" + "-" * 20 + "B", granularity="char")
        assert 2 == len(patch.hunks)

    def test_ignored_difference_is_patched(self) -> None:
        """An equal edit with a different old text becomes a replacement."""
        d = Diff((Edit(Op.EQUAL, "Cat", old="cat"), Edit(Op.INSERT, "!")))
        assert "Cat!" == Patch.from_diff(d).apply("cat")

    def test_negative_context(self) -> None:
        """A negative context is refused with a PatchError."""
        with pytest.raises(PatchError, match="context must be"):
            Patch.from_diff(diff("a", "b"), context=-1)


class TestHunk:
    """Hunk and the checks Patch makes on its hunks."""

    def test_lengths_in_utf16_units(self) -> None:
        """old_length and new_length count UTF-16 code units."""
        hunk = Hunk(
            0, 0, (Edit(Op.DELETE, "\U0001f600"), Edit(Op.INSERT, "a"))
        )
        assert (2, 1) == (hunk.old_length, hunk.new_length)

    def test_overlapping_hunks_refused(self) -> None:
        """Hunks that overlap in the old text are not a patch."""
        hunk = Hunk(0, 0, (Edit(Op.EQUAL, "ab"), Edit(Op.DELETE, "c")))
        with pytest.raises(PatchFormatError, match="must not overlap"):
            Patch((hunk, Hunk(2, 1, (Edit(Op.DELETE, "c"),))))

    def test_inconsistent_new_start_refused(self) -> None:
        """A hunk's new start must follow from the hunks before it."""
        first = Hunk(0, 0, (Edit(Op.DELETE, "ab"),))
        with pytest.raises(PatchFormatError, match="must start at 3"):
            Patch((first, Hunk(5, 5, (Edit(Op.DELETE, "c"),))))

    def test_non_hunk_refused(self) -> None:
        """A patch holds only Hunks."""
        with pytest.raises(PatchFormatError, match="must be a Hunk"):
            Patch(("@@ -1 +1 @@",))  # type: ignore[arg-type]

    def test_move_edits_refused(self) -> None:
        """Hunk edits carry no move id."""
        with pytest.raises(PatchFormatError, match="plain Edit"):
            Hunk(0, 0, (Edit(Op.DELETE, "c", move=1),))


class TestApply:
    """Patch.apply, strict."""

    def test_conflict_names_failed_hunks(self) -> None:
        """Hunks whose text is not at their place are all named."""
        old = "alpha beta gamma delta epsilon zeta"
        new = "ALPHA beta gamma delta epsilon ZETA"
        patch = make_patch(old, new, granularity="char", context=2)
        text = "alpha beta gamma delta epsilon zeta!"
        changed = text.replace("alpha", "omega")
        before = str(changed)
        with pytest.raises(PatchConflictError) as info:
            patch.apply(changed)
        assert ((0,), before) == (info.value.failed, changed)

    def test_text_shifted_is_a_conflict(self) -> None:
        """Strict apply does not look for a hunk away from its place."""
        patch = make_patch("the cat", "the cut")
        with pytest.raises(PatchConflictError) as info:
            patch.apply("oh, the cat")
        assert (0,) == info.value.failed

    def test_non_str_refused(self) -> None:
        """Only a str can be patched."""
        with pytest.raises(PatchError, match="only patch a str"):
            make_patch("a", "b").apply(b"a")  # type: ignore[call-overload]

    def test_inside_surrogate_pair(self) -> None:
        """A hunk that would split an astral character is a conflict."""
        patch = Patch((Hunk(1, 1, (Edit(Op.INSERT, "x"),)),))
        with pytest.raises(PatchConflictError, match="surrogate pair"):
            patch.apply("\U0001f600")

    def test_fuzzy_flag_returns_result(self) -> None:
        """apply(text, fuzzy=True) gives what apply_fuzzy gives."""
        patch = make_patch("the cat sat", "the cut sat")
        assert patch.apply_fuzzy("so the cat sat") == patch.apply(
            "so the cat sat", fuzzy=True
        )


class TestApplyFuzzy:
    """Patch.apply_fuzzy."""

    def test_reports_offset(self) -> None:
        """A hunk found further on is applied and its offset reported."""
        patch = make_patch("one two three", "one 2 three", granularity="char")
        result = patch.apply_fuzzy("zero one two three")
        expected = ApplyResult(
            "zero one 2 three", (HunkResult(0, applied=True, offset=5),)
        )
        assert expected == result

    def test_reports_fuzz(self) -> None:
        """A hunk whose context changed is placed with less context."""
        patch = make_patch(
            "abcd efgh ijkl", "abcd eFgh ijkl", granularity="char", context=4
        )
        result = patch.apply_fuzzy("abXd efgh iXkl")
        assert ("abXd eFgh iXkl", True) == (result.text, result.applied)
        assert 0 < result.hunks[0].fuzz

    def test_applies_what_it_can(self) -> None:
        """Hunks that cannot be placed are skipped; the rest apply."""
        old = "alpha beta gamma delta epsilon zeta"
        new = "ALPHA beta gamma delta epsilon ZETA"
        patch = make_patch(old, new, granularity="char", context=2)
        result = patch.apply_fuzzy("omega beta gamma delta epsilon zeta")
        assert ("omega beta gamma delta epsilon ZETA", (0,)) == (
            result.text,
            result.failed,
        )

    def test_unplaceable_hunk(self) -> None:
        """A hunk found nowhere, even without context, is reported."""
        hunk = Hunk(0, 0, (Edit(Op.EQUAL, "a"), Edit(Op.DELETE, "b")))
        expected = ApplyResult("xyz", (HunkResult(0, applied=False),))
        assert expected == Patch((hunk,)).apply_fuzzy("xyz")

    def test_nearest_match_wins(self) -> None:
        """Of two places the hunk fits, the one nearer its start is used."""
        hunk = Hunk(10, 10, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "XY")))
        result = Patch((hunk,)).apply_fuzzy("ab" + "-" * 12 + "ab")
        assert ("ab" + "-" * 12 + "XY", 4) == (
            result.text,
            result.hunks[0].offset,
        )

    def test_inside_surrogate_pair(self) -> None:
        """A hunk that would split an astral character is not applied."""
        patch = Patch((Hunk(1, 1, (Edit(Op.INSERT, "x"),)),))
        result = patch.apply_fuzzy("\U0001f600")
        assert ("\U0001f600", (0,)) == (result.text, result.failed)

    @settings(max_examples=60, deadline=None)
    @given(chains())
    def test_exact_text_applies_with_no_offset(
        self, texts3: tuple[str, str, str]
    ) -> None:
        """On the very text the patch was made from, fuzzy equals strict."""
        a, b, _ = texts3
        result = make_patch(a, b).apply_fuzzy(a)
        offsets = {(h.offset, h.fuzz) for h in result.hunks}
        assert (b, offsets <= {(0, 0)}) == (result.text, True)


class TestInvert:
    """Patch.invert."""

    @settings(max_examples=100, deadline=None)
    @given(chains(), granularities)
    def test_invert_undoes(
        self, texts3: tuple[str, str, str], granularity: Granularity
    ) -> None:
        """The inverted patch turns b back into a."""
        a, b, _ = texts3
        patch = make_patch(a, b, granularity=granularity)
        assert a == patch.invert().apply(b)

    @given(chains())
    def test_invert_twice(self, texts3: tuple[str, str, str]) -> None:
        """Inverting twice gives the same patch."""
        a, b, _ = texts3
        patch = make_patch(a, b)
        assert patch == patch.invert().invert()


class TestThen:
    """Patch.then: composition."""

    @settings(max_examples=200, deadline=None)
    @given(chains(), granularities, contexts)
    def test_composing_equals_applying_in_turn(
        self,
        texts3: tuple[str, str, str],
        granularity: Granularity,
        context: int,
    ) -> None:
        """p.then(q) applied to a equals q applied to p applied to a."""
        a, b, c = texts3
        p = make_patch(a, b, granularity=granularity, context=context)
        q = make_patch(b, c, granularity=granularity, context=context)
        assert q.apply(p.apply(a)) == p.then(q).apply(a)

    @settings(max_examples=100, deadline=None)
    @given(chains())
    def test_then_inverse_is_empty(self, texts3: tuple[str, str, str]) -> None:
        """A patch followed by its inverse changes nothing."""
        a, b, _ = texts3
        patch = make_patch(a, b)
        assert () == patch.then(patch.invert()).hunks

    def test_patches_that_do_not_chain(self) -> None:
        """A second patch expecting other text is refused by hunk."""
        p = make_patch("the cat sat", "the dog sat")
        q = make_patch("the cow sat", "the cow ran")
        with pytest.raises(PatchConflictError) as info:
            p.then(q)
        assert (0,) == info.value.failed

    @pytest.mark.parametrize(
        ("a", "b", "c"),
        [
            # U+1F600 and U+1F601 share a high surrogate.
            ("a\U0001f600b", "a\U00010600b", "a\U0001f601b"),
            # U+1F600 and U+10600 share a low surrogate.
            ("a\U0001f600b", "xyz", "a\U00010600b"),
        ],
    )
    def test_astral_characters_kept_whole(
        self, a: str, b: str, c: str
    ) -> None:
        """Composed hunks cut between characters, not inside one."""
        composed = make_patch(a, b).then(make_patch(b, c))
        texts = [e.text for h in composed.hunks for e in h.edits]
        assert (c, True) == (
            composed.apply(a),
            all(t.encode("utf-8") for t in texts),
        )

    def test_split_astral_character_refused(self) -> None:
        """An insertion between the halves of an astral character fails."""
        p = Patch((Hunk(0, 0, (Edit(Op.INSERT, "\U0001f600"),)),))
        q = Patch((Hunk(1, 1, (Edit(Op.INSERT, "x"),)),))
        with pytest.raises(PatchConflictError, match="surrogate pair"):
            p.then(q)

    def test_not_a_patch(self) -> None:
        """Only a Patch can follow a Patch."""
        with pytest.raises(PatchError, match="expected a Patch"):
            make_patch("a", "b").then("b")  # type: ignore[arg-type]


class TestDmpText:
    """Patch.format('dmp') and Patch.parse(text, format='dmp')."""

    @settings(max_examples=100, deadline=None)
    @given(chains(), granularities)
    def test_round_trip(
        self, texts3: tuple[str, str, str], granularity: Granularity
    ) -> None:
        """Parsing the formatted patch gives the same patch."""
        a, b, _ = texts3
        patch = make_patch(a, b, granularity=granularity)
        assert patch == Patch.parse(patch.format("dmp"))

    @given(st.text())
    def test_fuzz(self, text: str) -> None:
        """Any text either parses or raises PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            Patch.parse(text)

    @given(
        st.lists(
            st.sampled_from(
                [
                    "@@ -1,2 +1,3 @@",
                    "@@ -0,0 +1 @@",
                    " a%0A",
                    "-b",
                    "+%F0%9F%98%80",
                    "+%zz",
                    "",
                    "-%E9",
                    " ",
                ]
            ),
            max_size=8,
        )
    )
    def test_fuzz_near_miss(self, lines: list[str]) -> None:
        """Texts made of patch-like lines parse or raise PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            Patch.parse("\n".join(lines))

    @settings(max_examples=100, deadline=None)
    @given(chains())
    def test_python_dmp_reads_bmp_patches(
        self, texts3: tuple[str, str, str]
    ) -> None:
        """Without astral characters, Python's diff-match-patch agrees."""
        a, b = ("".join(c for c in t if c <= "\uffff") for t in texts3[:2])
        text = make_patch(a, b).format()
        dmp = _python_dmp()
        patches = dmp.patch_fromText(text)
        assert (text, b) == (
            dmp.patch_toText(patches),
            dmp.patch_apply(patches, a)[0],
        )

    @settings(max_examples=100, deadline=None)
    @given(chains())
    def test_reads_python_dmp_patches(
        self, texts3: tuple[str, str, str]
    ) -> None:
        """Patches Python's diff-match-patch makes of BMP texts apply."""
        a, b = ("".join(c for c in t if c <= "\uffff") for t in texts3[:2])
        dmp = _python_dmp()
        text = dmp.patch_toText(dmp.patch_make(a, b))
        assert b == Patch.parse(text).apply(a)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("@@ -1 +1 @@\n-%FF\n+b\n", "line 2: its %XX escapes are not"),
            ("@@ -1 +1 @@\n-\ud800\n+b\n", "line 2: holds a lone surrogate"),
            ("@@ -1 +1 @@\n-\ud800%41\n+b\n", "line 2: holds a lone"),
            ("@@ -1 +1 @@\n-%ED%A0%80\n+b\n", "line 2: its %XX"),
            ("@@ -0,1 +1 @@\n-a\n+b\n", "line 1: a start of 0"),
            ("@@ -5 +1 @@\n-a\n+b\n", "line 1: the old start 5 fits"),
            ("+a\n", "line 1: expected a hunk header at the start"),
            ("@@ -1 +1 @@ x\n", "line 1: expected a hunk header like"),
            (
                "@@ -1,2 +1,2 @@\n-ab\n+cd\n@@ -1,2 +1,2 @@\n-xy\n+zz\n",
                "line 4: the hunk overlaps",
            ),
        ],
    )
    def test_error_names_line(self, text: str, message: str) -> None:
        """Malformed patch text is refused, naming the line."""
        with pytest.raises(PatchFormatError, match=message):
            Patch.parse(text)

    def test_overlapping_hunks_composed(self) -> None:
        """Hunks whose context reaches into the one before are composed."""
        text = "@@ -1,2 +1,2 @@\n-ab\n+cd\n@@ -1,3 +1,3 @@\n cd\n-e\n+f\n"
        assert "cdf" == Patch.parse(text).apply("abe")

    def test_non_str_refused(self) -> None:
        """Only a str is parsed."""
        with pytest.raises(PatchFormatError, match="as str, got bytes"):
            Patch.parse(b"@@ -1 +1 @@\n")  # type: ignore[arg-type]

    def test_header_counts_checked(self) -> None:
        """A header promising other lengths than the body is refused."""
        with pytest.raises(PatchFormatError, match="line 1: the header"):
            Patch.parse("@@ -1,3 +1,3 @@\n c\n-a\n+uu\n t\n")

    def test_bad_line_named(self) -> None:
        """A line without a sign is named by its number."""
        with pytest.raises(PatchFormatError, match="line 3: expected"):
            Patch.parse("@@ -1 +1 @@\n-a\n*b\n")

    def test_bad_escape_named(self) -> None:
        """A '%' that starts no escape is named with its line."""
        with pytest.raises(PatchFormatError, match="line 2: '%' at column 3"):
            Patch.parse("@@ -1 +1 @@\n-a%zz\n+b\n")

    def test_unknown_format(self) -> None:
        """Only dmp and json are known formats."""
        with pytest.raises(PatchFormatError, match="format must be"):
            Patch.parse("", format="svn")


_EMOJI_PAIRS = (
    ("\U0001f600 smile", "\U0001f600\U0001f600 smiles"),
    ("flag \U0001f3f3\ufe0f\u200d\U0001f308 here\r\n", "flag gone\r\n"),
    ("\U0001f4a9" * 40 + "x" + "\U0001f4a9" * 40, "\U0001f4a9" * 80),
    ("", "\U00010348\U0001f30d"),
    ("e\u0301\U0001f30d\rtail", "\U0001f30de\u0301\rtail!"),
)


class TestJavaScript:
    """The JavaScript diff-match-patch applies revtrack's patches alike."""

    def _check(self, pairs: list[tuple[str, str]]) -> None:
        jobs, expected = [], []
        for old, new in pairs:
            patch = make_patch(old, new, granularity="char")
            text = patch.format("dmp")
            jobs += [
                {"patch": text, "text": old},
                {"delta": format_delta(diff(old, new)), "text": old},
            ]
            expected += [(new, text), (new, None)]
        results = run_js(jobs)
        actual = [
            (r["text"], r.get("retext") and r["retext"]) for r in results
        ]
        assert expected == actual
        assert all(all(r["applied"]) for r in results)

    def test_emoji_texts(self) -> None:
        """Patches and deltas of texts with emoji apply in JavaScript."""
        self._check(list(_EMOJI_PAIRS))

    @settings(max_examples=10, deadline=None)
    @given(st.lists(chains(), min_size=1, max_size=8))
    def test_generated_texts(
        self, chains3: list[tuple[str, str, str]]
    ) -> None:
        """Generated tricky texts patch the same in JavaScript."""
        self._check([(a, b) for a, b, _ in chains3])

    @settings(max_examples=10, deadline=None)
    @given(st.lists(chains(), min_size=1, max_size=8))
    def test_composed_patches(
        self, chains3: list[tuple[str, str, str]]
    ) -> None:
        """Composed patches keep enough context to apply in JavaScript."""
        jobs = [
            {
                "patch": make_patch(a, b, granularity="char")
                .then(make_patch(b, c, granularity="char"))
                .format(),
                "text": a,
            }
            for a, b, c in chains3
        ]
        assert [c for _, _, c in chains3] == [r["text"] for r in run_js(jobs)]

    def test_reads_javascript_patches(self) -> None:
        """Patches and deltas made in JavaScript apply in revtrack."""
        made = run_js([{"make": [old, new]} for old, new in _EMOJI_PAIRS])
        expected = [(new, new) for _, new in _EMOJI_PAIRS]
        actual = [
            (
                Patch.parse(m["patch"]).apply(old),
                parse_delta(old, m["delta"]).new,
            )
            for (old, _), m in zip(_EMOJI_PAIRS, made, strict=True)
        ]
        assert expected == actual

    @pytest.mark.parametrize("name", ["art-of-command-line-zh", "whatwg-url"])
    def test_corpus_pairs(self, name: str) -> None:
        """Corpus revisions with astral characters patch alike in JS."""
        astral = [
            (old, new)
            for old, new in corpora.pairs(name, 16)
            if max(old + new) > "\uffff"
        ]
        assert len(astral) >= 3
        self._check(astral[-4:])


class TestJson:
    """Patch.format('json') and Patch.parse(text, format='json')."""

    _SCHEMA = json.loads(
        (
            Path(__file__).resolve().parents[1]
            / "docs"
            / "schemas"
            / "patch.v1.schema.json"
        ).read_text()
    )

    @settings(max_examples=75, deadline=None)
    @given(chains())
    def test_round_trip(self, texts3: tuple[str, str, str]) -> None:
        """Parsing the JSON gives the same patch, valid by the schema."""
        a, b, _ = texts3
        patch = make_patch(a, b)
        text = patch.format("json")
        jsonschema.validate(json.loads(text), self._SCHEMA)
        assert patch == Patch.parse(text, format="json")

    @given(st.text())
    def test_fuzz(self, text: str) -> None:
        """Any text either parses or raises PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            Patch.parse(text, format="json")

    def test_units_checked(self) -> None:
        """Offsets in another unit are refused."""
        doc = json.loads(make_patch("a", "b").format("json"))
        doc["units"] = "code points"
        with pytest.raises(PatchFormatError, match=r"\$\.units"):
            Patch.parse(json.dumps(doc), format="json")

    def test_overlap_named(self) -> None:
        """Overlapping hunks are refused under $.hunks."""
        doc = json.loads(
            make_patch("ab", "xy", granularity="char").format("json")
        )
        doc["hunks"] = doc["hunks"] * 2
        with pytest.raises(PatchFormatError, match=r"at \$\.hunks: hunk 1"):
            Patch.parse(json.dumps(doc), format="json")

    def test_unknown_format(self) -> None:
        """Patch.format knows only dmp and json."""
        with pytest.raises(PatchError, match="format must be"):
            make_patch("a", "b").format("svn")

    def test_newer_version_named(self) -> None:
        """A newer version is refused, naming the version."""
        doc = json.loads(make_patch("a", "b").format("json"))
        doc["version"] = 2
        with pytest.raises(PatchFormatError, match="version 2 is not"):
            Patch.parse(json.dumps(doc), format="json")

    def test_path_named(self) -> None:
        """A bad value is named by its JSON path."""
        doc = json.loads(make_patch("a", "b").format("json"))
        doc["hunks"][0]["edits"][0]["op"] = "replace"
        with pytest.raises(PatchFormatError, match=r"\$\.hunks\[0\]\.edits"):
            Patch.parse(json.dumps(doc), format="json")

    def test_offset_named(self) -> None:
        """Text that is not JSON is named by line, column and offset."""
        with pytest.raises(PatchFormatError, match="offset 10"):
            Patch.parse('{"format":', format="json")

    def test_schema_rejects_what_parse_rejects(self) -> None:
        """The schema and the reader agree on an unknown key."""
        doc = json.loads(make_patch("a", "b").format("json"))
        doc["hunks"][0]["extra"] = 1
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, self._SCHEMA)
        with pytest.raises(PatchFormatError, match="unknown key"):
            Patch.parse(json.dumps(doc), format="json")


class TestDelta:
    """format_delta and parse_delta."""

    @settings(max_examples=200, deadline=None)
    @given(chains(), granularities)
    def test_round_trip(
        self, texts3: tuple[str, str, str], granularity: Granularity
    ) -> None:
        """Reading the delta back rebuilds the new text."""
        a, b, _ = texts3
        delta = format_delta(diff(a, b, granularity=granularity))
        assert b == parse_delta(a, delta).new

    @settings(max_examples=100, deadline=None)
    @given(chains())
    def test_char_diff_round_trip(self, texts3: tuple[str, str, str]) -> None:
        """A character diff comes back equal."""
        a, b, _ = texts3
        d = diff(a, b, granularity="char", detect_moves=False)
        assert d.edits == parse_delta(a, format_delta(d)).edits

    @settings(max_examples=100, deadline=None)
    @given(chains())
    def test_same_as_python_dmp(self, texts3: tuple[str, str, str]) -> None:
        """The delta is what diff-match-patch's diff_toDelta writes."""
        a, b, _ = texts3
        d = diff(a, b, granularity="char", detect_moves=False)
        codes = {Op.EQUAL: 0, Op.INSERT: 1, Op.DELETE: -1}
        raw = [(codes[e.op], e.text) for e in d.edits]
        assert _python_dmp().diff_toDelta(raw) == format_delta(d)

    @given(st.text(), st.text())
    def test_fuzz(self, old: str, delta: str) -> None:
        """Any delta either reads or raises PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            parse_delta(old, delta)

    def test_too_long_named(self) -> None:
        """A delta longer than the old text names the token and offset."""
        with pytest.raises(PatchFormatError, match="'=5' at offset 3"):
            parse_delta("abc", "+x\t=5")

    def test_split_surrogate_pair(self) -> None:
        """A count that ends inside an astral character is refused."""
        with pytest.raises(PatchFormatError, match="surrogate pair"):
            parse_delta("\U0001f600", "=1\t-1")

    def test_non_str_refused(self) -> None:
        """The old text and the delta must be strs."""
        with pytest.raises(PatchFormatError, match="delta must be a str"):
            parse_delta("abc", 3)  # type: ignore[arg-type]

    def test_short_delta(self) -> None:
        """A delta that leaves old text uncovered is refused."""
        with pytest.raises(PatchFormatError, match="covers 1 UTF-16"):
            parse_delta("abc", "=1")


class TestCorpora:
    """Consecutive corpus revisions patch back exactly."""

    @pytest.mark.parametrize("name", corpora.NAMES)
    @pytest.mark.parametrize(
        "granularity", ["char", "word", "sentence", "line", "paragraph"]
    )
    def test_pairs_patch_back(
        self, name: str, granularity: Granularity
    ) -> None:
        """Patch, inverse and dmp text round-trip on sampled corpus pairs."""
        for old, new in corpora.pairs(name, 2):
            patch = make_patch(old, new, granularity=granularity)
            parsed = Patch.parse(patch.format("dmp"))
            assert (new, old, patch) == (
                patch.apply(old),
                patch.invert().apply(new),
                parsed,
            )


class TestDeltaFuzzRegressions:
    """Deltas that escaped as errors other than PatchFormatError."""

    @pytest.mark.parametrize("sign", ["=", "-"])
    def test_count_of_5000_digits(self, sign: str) -> None:
        """A count too long for int() is refused (was ValueError)."""
        with pytest.raises(PatchFormatError, match="expected '=n'"):
            parse_delta("cat", sign + "1" * 5000)

    def test_count_with_leading_zeros(self) -> None:
        """A count padded with zeros still reads."""
        assert "cut" == parse_delta("cat", "=01\t-1\t+u\t=0000001").new


class TestJsonText:
    """Patch.format('json') writes text as it is."""

    def test_non_ascii_unescaped(self) -> None:
        """Non-ASCII text stays readable, not escaped as JSON escapes."""
        text = make_patch("cafe au lait", "café au lait").format("json")
        assert (True, False) == ("é" in text, "\\u00e9" in text)
