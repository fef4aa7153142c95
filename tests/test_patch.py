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


def _swap(start: int, old: str, new: str) -> Patch:
    """A one-hunk patch replacing *old* at *start* by *new*, no context."""
    edits = (Edit(Op.DELETE, old), Edit(Op.INSERT, new))
    return Patch((Hunk(start, start, edits),))


class TestFuzzyPlacement:
    """Where apply_fuzzy places a hunk whose text moved."""

    @pytest.mark.parametrize(
        ("text", "start", "pattern", "expected_text", "offset"),
        [
            # Two matches after the expected place: the first one.
            ("xxabxxabxx", 0, "ab", "xxXxxabxx", 2),
            # Two matches before it: the last one.
            ("abxxabxx", 7, "ab", "abxxXxx", -3),
            # One each side, equally near: the earlier one.
            ("xaxax", 2, "a", "xXxax", -1),
            # The one before is nearer (1 against 2).
            ("xxxxaxxaxx", 5, "a", "xxxxXxxaxx", -1),
            # The one after is nearer (1 against 3).
            ("axxxxaxxxx", 4, "a", "axxxxXxxxx", 1),
        ],
    )
    def test_nearest_match(
        self,
        text: str,
        start: int,
        pattern: str,
        expected_text: str,
        offset: int,
    ) -> None:
        """A hunk lands on the match nearest its place, earlier on a tie."""
        expected = ApplyResult(
            expected_text, (HunkResult(0, applied=True, offset=offset),)
        )
        assert expected == _swap(start, pattern, "X").apply_fuzzy(text)

    @settings(max_examples=60, deadline=None)
    @given(
        st.text("ab", max_size=12),
        st.text("ab", min_size=1, max_size=3),
        st.integers(0, 14),
    )
    def test_nearest_match_model(
        self, text: str, pattern: str, start: int
    ) -> None:
        """Placement equals the nearest of all matches, earlier on a tie."""
        found = [
            i
            for i in range(len(text) - len(pattern) + 1)
            if text.startswith(pattern, i)
        ]
        if found:
            at = min(found, key=lambda i: (abs(i - start), i))
            expected = ApplyResult(
                text[:at] + "#" + text[at + len(pattern) :],
                (HunkResult(0, applied=True, offset=at - start),),
            )
        else:
            expected = ApplyResult(text, (HunkResult(0, applied=False),))
        assert expected == _swap(start, pattern, "#").apply_fuzzy(text)

    def test_match_before_earlier_hunk_ignored(self) -> None:
        """A hunk is not placed before the end of the hunk applied before."""
        patch = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "A"))),
                Hunk(3, 3, (Edit(Op.DELETE, "c"), Edit(Op.INSERT, "C"))),
            )
        )
        expected = ApplyResult(
            "cxA",
            (
                HunkResult(0, applied=True, offset=2),
                HunkResult(1, applied=False),
            ),
        )
        assert expected == patch.apply_fuzzy("cxa")

    def test_later_hunk_follows_earlier_offset(self) -> None:
        """A hunk is looked for where the one before it moved it to."""
        patch = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "A"))),
                Hunk(10, 10, (Edit(Op.DELETE, "b"), Edit(Op.INSERT, "B"))),
            )
        )
        expected = ApplyResult(
            "-----A--b------B--",
            (
                HunkResult(0, applied=True, offset=5),
                HunkResult(1, applied=True, offset=5),
            ),
        )
        assert expected == patch.apply_fuzzy("-----a--b------b--")

    @pytest.mark.parametrize(
        ("text", "expected_text", "offset", "fuzz"),
        [
            # Both contexts whole: no fuzz.
            ("zzabcdefghi", "zzabcdEfghi", 2, 0),
            # The trailing context's far end changed: half of each kept.
            ("zzabcdefghX", "zzabcdEfghX", 2, 4),
            # Both contexts changed next to the change: none kept.
            ("abcZeZghi", "abcZEZghi", 0, 8),
            # Without context "e" occurs twice; the one nearer the place
            # the context would have put it wins.
            ("eZZZeZZZZ", "eZZZEZZZZ", 0, 8),
        ],
    )
    def test_context_dropped_by_halves(
        self, text: str, expected_text: str, offset: int, fuzz: int
    ) -> None:
        """Context is tried whole, then half, then none; fuzz counts it."""
        hunk = Hunk(
            0,
            0,
            (
                Edit(Op.EQUAL, "abcd"),
                Edit(Op.DELETE, "e"),
                Edit(Op.INSERT, "E"),
                Edit(Op.EQUAL, "fghi"),
            ),
        )
        expected = ApplyResult(
            expected_text,
            (HunkResult(0, applied=True, offset=offset, fuzz=fuzz),),
        )
        assert expected == Patch((hunk,)).apply_fuzzy(text)

    def test_insertion_without_context_goes_after_lead(self) -> None:
        """An insertion whose context is gone goes where its lead ended."""
        hunk = Hunk(
            0,
            0,
            (
                Edit(Op.EQUAL, "abcd"),
                Edit(Op.INSERT, "X"),
                Edit(Op.EQUAL, "efgh"),
            ),
        )
        expected = ApplyResult(
            "ZZZZXZZZZ", (HunkResult(0, applied=True, offset=0, fuzz=8),)
        )
        assert expected == Patch((hunk,)).apply_fuzzy("ZZZZZZZZ")

    def test_context_only_hunk(self) -> None:
        """A hunk of one context run is found whole, with no fuzz."""
        patch = Patch((Hunk(0, 0, (Edit(Op.EQUAL, "abc"),)),))
        expected = ApplyResult("abc", (HunkResult(0, applied=True, offset=0),))
        assert expected == patch.apply_fuzzy("abc")

    def test_trailing_context_of_two_edit_hunk(self) -> None:
        """A deletion's trailing context is halved like any other context."""
        hunk = Hunk(0, 0, (Edit(Op.DELETE, "b"), Edit(Op.EQUAL, "cdef")))
        expected = ApplyResult(
            "cdeX", (HunkResult(0, applied=True, offset=0, fuzz=2),)
        )
        assert expected == Patch((hunk,)).apply_fuzzy("bcdeX")

    def test_body_with_context_inside(self) -> None:
        """A hunk holding two changes and context between them applies."""
        hunk = Hunk(
            0,
            0,
            (
                Edit(Op.EQUAL, "ab"),
                Edit(Op.DELETE, "c"),
                Edit(Op.EQUAL, "d"),
                Edit(Op.DELETE, "e"),
                Edit(Op.INSERT, "E"),
                Edit(Op.EQUAL, "fg"),
            ),
        )
        expected = ApplyResult(
            "abdEfg", (HunkResult(0, applied=True, offset=0),)
        )
        assert expected == Patch((hunk,)).apply_fuzzy("abcdefg")

    def test_surrogate_split_reports_every_hunk_unapplied(self) -> None:
        """A result that would split an astral character applies nothing."""
        patch = Patch((Hunk(1, 1, (Edit(Op.INSERT, "x"),)),))
        expected = ApplyResult("\U0001f600", (HunkResult(0, applied=False),))
        assert expected == patch.apply_fuzzy("\U0001f600")


class TestDmpHunkStarts:
    """How parsed dmp hunks are placed after the ones before them."""

    _EXPECTED = Patch(
        (
            Hunk(0, 0, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "xyz"))),
            Hunk(6, 7, (Edit(Op.DELETE, "cd"), Edit(Op.INSERT, "CD"))),
            Hunk(12, 13, (Edit(Op.DELETE, "ef"), Edit(Op.INSERT, "E"))),
        )
    )

    @pytest.mark.parametrize(
        "text",
        [
            # diff-match-patch: both starts in the text patched so far.
            (
                "@@ -1,2 +1,3 @@\n-ab\n+xyz\n@@ -8,2 +8,2 @@\n-cd\n+CD\n"
                "@@ -14,2 +14 @@\n-ef\n+E\n"
            ),
            # revtrack: the old start in the old text.
            (
                "@@ -1,2 +1,3 @@\n-ab\n+xyz\n@@ -7,2 +8,2 @@\n-cd\n+CD\n"
                "@@ -13,2 +14 @@\n-ef\n+E\n"
            ),
        ],
    )
    def test_either_old_start_read(self, text: str) -> None:
        """Both ways of writing a later hunk's old start give one patch."""
        patch = Patch.parse(text)
        assert (self._EXPECTED, "xyz----CD----E") == (
            patch,
            patch.apply("ab----cd----ef"),
        )

    def test_wrong_old_start_names_both_fits(self) -> None:
        """A misplaced hunk's error names the two starts that would fit."""
        text = "@@ -1,2 +1,3 @@\n-ab\n+xyz\n@@ -3,2 +8,2 @@\n-cd\n+CD\n"
        with pytest.raises(
            PatchFormatError,
            match=r"^line 4: the old start 3 .*\(7\).*\(8\)$",
        ):
            Patch.parse(text)

    def test_overlap_leaves_touching_hunk_alone(self) -> None:
        """Only the hunks a later one overlaps are composed with it."""
        text = (
            "@@ -1 +1 @@\n-a\n+b\n@@ -2 +2 @@\n-c\n+d\n"
            "@@ -2,2 +2,2 @@\n d\n-e\n+f\n"
        )
        expected = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "b"))),
                Hunk(1, 1, (Edit(Op.DELETE, "ce"), Edit(Op.INSERT, "df"))),
            )
        )
        assert expected == Patch.parse(text)

    def test_overlap_of_two_hunks(self) -> None:
        """A hunk overlapping two before it is composed with both, in order."""
        text = (
            "@@ -1 +1 @@\n-a\n+b\n@@ -3 +3 @@\n-c\n+d\n"
            "@@ -1,3 +1,3 @@\n-bxd\n+BXD\n"
        )
        expected = Patch(
            (Hunk(0, 0, (Edit(Op.DELETE, "axc"), Edit(Op.INSERT, "BXD"))),)
        )
        assert expected == Patch.parse(text)

    def test_overlap_after_a_length_change(self) -> None:
        """Overlapping hunks after one that changed the length compose."""
        text = (
            "@@ -1,2 +1,3 @@\n-ab\n+xyz\n@@ -6,2 +6,2 @@\n-cd\n+CD\n"
            "@@ -6,2 +6,2 @@\n-CD\n+EF\n"
        )
        expected = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "xyz"))),
                Hunk(4, 5, (Edit(Op.DELETE, "cd"), Edit(Op.INSERT, "EF"))),
            )
        )
        patch = Patch.parse(text)
        assert (expected, "xyz--EF") == (patch, patch.apply("ab--cd"))


class TestDmpLines:
    """How _parse_dmp reads the lines of a hunk."""

    _AB = Patch((Hunk(0, 0, (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "b"))),))

    @pytest.mark.parametrize(
        "text",
        [
            "@@ -1 +1 @@\n-a\n+b",
            "@@ -1 +1 @@\n-a\n\n+b\n",
            "\n@@ -1 +1 @@\n-a\n+b\n\n\n",
        ],
    )
    def test_final_and_blank_lines(self, text: str) -> None:
        """A missing final newline and blank lines change nothing."""
        assert self._AB == Patch.parse(text)

    @pytest.mark.parametrize(
        ("text", "edits"),
        [
            (
                "@@ -1,2 +1,2 @@\n-a\n-b\n+cd\n",
                (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "cd")),
            ),
            (
                "@@ -1,3 +1,2 @@\n x\n y\n-z\n",
                (Edit(Op.EQUAL, "xy"), Edit(Op.DELETE, "z")),
            ),
            ("@@ -1,2 +0,0 @@\n-a\n-b\n", (Edit(Op.DELETE, "ab"),)),
            (
                "@@ -1 +1 @@\n-a\n+\n+b\n",
                (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "b")),
            ),
        ],
    )
    def test_runs_of_one_kind_joined(
        self, text: str, edits: tuple[Edit, ...]
    ) -> None:
        """Lines of one kind in a row become one edit; empty ones go."""
        assert Patch((Hunk(0, 0, edits),)) == Patch.parse(text)

    def test_new_start_of_zero_needs_zero_length(self) -> None:
        """A new start of 0 with a length is refused like an old one."""
        with pytest.raises(PatchFormatError, match="line 1: a start of 0"):
            Patch.parse("@@ -1 +0,1 @@\n-a\n+b\n")

    def test_header_error_names_lengths_found(self) -> None:
        """A header count error names the old and new lengths it found."""
        with pytest.raises(PatchFormatError, match=r"holds 3 and 4$"):
            Patch.parse("@@ -1,3 +1,3 @@\n c\n-a\n+uu\n t\n")

    def test_bad_sign_error_names_signs(self) -> None:
        """Inside a hunk, a line without a sign is told the signs."""
        with pytest.raises(
            PatchFormatError, match="line 3: expected ' ', '-' or '\\+' at"
        ):
            Patch.parse("@@ -1 +1 @@\n-a\n*b\n")


class TestJsonStructure:
    """Patch.parse(format='json') names the JSON path of a bad value."""

    @pytest.mark.parametrize(
        ("hunks", "where"),
        [
            (None, r"at \$: missing key 'hunks'"),
            ({}, r"at \$\.hunks: expected an array"),
            ([[]], r"at \$\.hunks\[0\]: expected an object"),
            (
                [{"old_start": 0, "new_start": 0}],
                r"at \$\.hunks\[0\]: missing key 'edits'",
            ),
            (
                [{"old_start": "0", "new_start": 0, "edits": []}],
                r"at \$\.hunks\[0\]\.old_start: expected an integer",
            ),
            (
                [{"old_start": 0, "new_start": -1, "edits": []}],
                r"at \$\.hunks\[0\]\.new_start: expected an integer >= 0",
            ),
            (
                [
                    {
                        "old_start": 0,
                        "new_start": 0,
                        "edits": [{"op": "equal", "text": "a", "old": "A"}],
                    }
                ],
                r"at \$\.hunks\[0\]\.edits\[0\]\.old: unknown key",
            ),
        ],
    )
    def test_path_of_bad_value(self, hunks: object, where: str) -> None:
        """Each malformed part of a patch document is named by its path."""
        doc: dict[str, object] = {
            "format": "revtrack.patch",
            "version": 1,
            "units": "utf-16",
        }
        if hunks is not None:
            doc["hunks"] = hunks
        with pytest.raises(PatchFormatError, match=f"^{where}"):
            Patch.parse(json.dumps(doc), format="json")


class TestComposedHunk:
    """The hunks Patch.then builds keep the common ends as context."""

    @pytest.mark.parametrize(
        ("old", "new", "edits"),
        [
            (
                "cat",
                "cut",
                (
                    Edit(Op.EQUAL, "c"),
                    Edit(Op.DELETE, "a"),
                    Edit(Op.INSERT, "u"),
                    Edit(Op.EQUAL, "t"),
                ),
            ),
            # Common high surrogates D800 and DBFF are not split off.
            (
                "ab\U00010000",
                "ab\U00010001",
                (
                    Edit(Op.EQUAL, "ab"),
                    Edit(Op.DELETE, "\U00010000"),
                    Edit(Op.INSERT, "\U00010001"),
                ),
            ),
            (
                "\U0010fffe",
                "\U0010fffd",
                (Edit(Op.DELETE, "\U0010fffe"), Edit(Op.INSERT, "\U0010fffd")),
            ),
            # A whole astral character ending the common head is kept.
            (
                "\U00010000a",
                "\U00010000b",
                (
                    Edit(Op.EQUAL, "\U00010000"),
                    Edit(Op.DELETE, "a"),
                    Edit(Op.INSERT, "b"),
                ),
            ),
            # Common low surrogates DC00 and DFFF are not split off.
            (
                "\U00010000xy",
                "\U00010400xy",
                (
                    Edit(Op.DELETE, "\U00010000"),
                    Edit(Op.INSERT, "\U00010400"),
                    Edit(Op.EQUAL, "xy"),
                ),
            ),
            (
                "\U000103ffx",
                "\U000107ffx",
                (
                    Edit(Op.DELETE, "\U000103ff"),
                    Edit(Op.INSERT, "\U000107ff"),
                    Edit(Op.EQUAL, "x"),
                ),
            ),
            # U+E000 follows the surrogates: a plain character.
            (
                "a\ue000",
                "b\ue000",
                (
                    Edit(Op.DELETE, "a"),
                    Edit(Op.INSERT, "b"),
                    Edit(Op.EQUAL, "\ue000"),
                ),
            ),
        ],
    )
    def test_common_ends_kept_whole(
        self, old: str, new: str, edits: tuple[Edit, ...]
    ) -> None:
        """The composed hunk's context is the texts' common whole ends."""
        composed = _swap(0, old, "#").then(_swap(0, "#", new))
        assert Patch((Hunk(0, 0, edits),)) == composed


class TestDeltaTokens:
    """How parse_delta reads and refuses the tokens of a delta."""

    def test_old_named_when_not_str(self) -> None:
        """A non-str old text is named as old."""
        with pytest.raises(PatchFormatError, match=r"^old must be a str"):
            parse_delta(b"cat", "=3")  # type: ignore[arg-type]

    def test_empty_tokens_skipped(self) -> None:
        """An empty token between two others is skipped."""
        assert "cut" == parse_delta("cat", "=1\t\t-1\t+u\t=1").new

    @pytest.mark.parametrize(
        ("token", "problem"),
        [
            ("+a%zz", "'%' at column 3"),
            ("+%FF", "not UTF-8"),
            ("+\ud800", "lone surrogate"),
        ],
    )
    def test_bad_insert_named(self, token: str, problem: str) -> None:
        """A badly escaped insert is named by its token and offset."""
        with pytest.raises(PatchFormatError) as info:
            parse_delta("cat", f"=3\t{token}")
        assert str(info.value).startswith(f"token {token!r} at offset 3: ")
        assert problem in str(info.value)

    def test_offset_of_later_token(self) -> None:
        """A bad third token is named by its offset in the whole delta."""
        with pytest.raises(
            PatchFormatError, match=r"^token '\*x' at offset 6"
        ):
            parse_delta("cat", "=1\t-1\t*x")

    @pytest.mark.parametrize(
        "delta",
        ["*3", "X3", "=\u0661\t=2", "=" + "0" * 18 + "3"],
    )
    def test_bad_count_token(self, delta: str) -> None:
        """Unknown signs, non-ASCII digits and 19 digits are refused."""
        with pytest.raises(PatchFormatError, match="expected '=n'"):
            parse_delta("cat", delta)

    def test_eighteen_digits_read(self) -> None:
        """A count of 18 digits, the most allowed, is read."""
        assert "cat" == parse_delta("cat", "=" + "0" * 17 + "3").new


class TestComposedGroup:
    """Patch.then where hunks of both patches overlap away from the start."""

    def test_overlap_at_an_offset(self) -> None:
        """Overlapping hunks at offset 5 compose into one replacement."""
        first = Patch(
            (Hunk(5, 5, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "xy"))),)
        )
        second = Patch(
            (Hunk(6, 6, (Edit(Op.DELETE, "y-"), Edit(Op.INSERT, "Q"))),)
        )
        expected = Patch(
            (Hunk(5, 5, (Edit(Op.DELETE, "ab-"), Edit(Op.INSERT, "xQ"))),)
        )
        composed = first.then(second)
        assert (expected, "-----xQ") == (composed, composed.apply("-----ab-"))

    def test_first_patch_text_after_second_hunk(self) -> None:
        """Text the first patch wrote past the second's hunk is kept."""
        first = Patch(
            (Hunk(5, 5, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "xyz"))),)
        )
        second = Patch(
            (Hunk(5, 5, (Edit(Op.DELETE, "x"), Edit(Op.INSERT, "Q"))),)
        )
        expected = Patch(
            (Hunk(5, 5, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "Qyz"))),)
        )
        composed = first.then(second)
        assert (expected, "-----Qyz-") == (
            composed,
            composed.apply("-----ab-"),
        )

    def test_empty_patch_then_keeps_starts(self) -> None:
        """After an empty patch, each hunk keeps its starts, however many."""
        second = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "a"), Edit(Op.INSERT, "AA"))),
                Hunk(2, 3, (Edit(Op.DELETE, "b"), Edit(Op.INSERT, "BB"))),
                Hunk(4, 6, (Edit(Op.DELETE, "c"), Edit(Op.INSERT, "CC"))),
            )
        )
        assert second == Patch(()).then(second)

    def test_conflict_names_hunks(self) -> None:
        """The conflict's message names the second patch's hunks."""
        p = make_patch("the cat sat", "the dog sat")
        q = make_patch("the cow sat", "the cow ran")
        with pytest.raises(
            PatchConflictError, match=r"^hunks \[0\] \(from 0\) of the second"
        ):
            p.then(q)

    def test_split_astral_character_names_no_hunk(self) -> None:
        """A split astral character blames no hunk of the second patch."""
        p = Patch((Hunk(0, 0, (Edit(Op.INSERT, "\U0001f600"),)),))
        q = Patch((Hunk(1, 1, (Edit(Op.INSERT, "x"),)),))
        with pytest.raises(PatchConflictError) as info:
            p.then(q)
        assert () == info.value.failed


class TestDmpFormat:
    """Patch.format('dmp') of several hunks."""

    def test_hunks_follow_each_other(self) -> None:
        """Each hunk's header follows the lines of the hunk before it."""
        patch = Patch(
            (
                Hunk(0, 0, (Edit(Op.DELETE, "ab"), Edit(Op.INSERT, "xyz"))),
                Hunk(6, 7, (Edit(Op.DELETE, "cd"), Edit(Op.INSERT, "CD"))),
            )
        )
        expected = "@@ -1,2 +1,3 @@\n-ab\n+xyz\n@@ -7,2 +8,2 @@\n-cd\n+CD\n"
        assert expected == patch.format("dmp")


def _two_changes(gap: str) -> Diff:
    """A diff of two one-letter swaps with *gap* between them."""
    return Diff(
        (
            Edit(Op.EQUAL, "0123456789"),
            Edit(Op.DELETE, "a"),
            Edit(Op.INSERT, "b"),
            Edit(Op.EQUAL, gap),
            Edit(Op.DELETE, "c"),
            Edit(Op.INSERT, "d"),
            Edit(Op.EQUAL, "9876543210"),
        )
    )


class TestHunkContext:
    """from_diff() keeps *context* characters and joins close changes."""

    @pytest.mark.parametrize("context", [1, 2, 4])
    def test_gap_of_twice_context_joins(self, context: int) -> None:
        """Changes at most twice the context apart share one hunk."""
        gap = "ABCDEFGHIJ"[: 2 * context]
        patch = Patch.from_diff(_two_changes(gap), context=context)
        lead, trail = "0123456789"[-context:], "9876543210"[:context]
        expected = Hunk(
            10 - context,
            10 - context,
            (
                Edit(Op.EQUAL, lead),
                Edit(Op.DELETE, "a"),
                Edit(Op.INSERT, "b"),
                Edit(Op.EQUAL, gap),
                Edit(Op.DELETE, "c"),
                Edit(Op.INSERT, "d"),
                Edit(Op.EQUAL, trail),
            ),
        )
        assert (expected,) == patch.hunks

    @pytest.mark.parametrize("context", [1, 2, 4])
    def test_wider_gap_splits(self, context: int) -> None:
        """Changes one more apart get a hunk each, with context each side."""
        gap = "ABCDEFGHIJ"[: 2 * context + 1]
        patch = Patch.from_diff(_two_changes(gap), context=context)
        lead, trail = "0123456789"[-context:], "9876543210"[:context]
        expected = (
            Hunk(
                10 - context,
                10 - context,
                (
                    Edit(Op.EQUAL, lead),
                    Edit(Op.DELETE, "a"),
                    Edit(Op.INSERT, "b"),
                    Edit(Op.EQUAL, gap[:context]),
                ),
            ),
            Hunk(
                11 + len(gap) - context,
                11 + len(gap) - context,
                (
                    Edit(Op.EQUAL, gap[-context:]),
                    Edit(Op.DELETE, "c"),
                    Edit(Op.INSERT, "d"),
                    Edit(Op.EQUAL, trail),
                ),
            ),
        )
        assert expected == patch.hunks

    def test_short_lead_at_start(self) -> None:
        """A change near the start keeps all the text before it."""
        edits = (
            Edit(Op.EQUAL, "ab"),
            Edit(Op.DELETE, "c"),
            Edit(Op.INSERT, "d"),
            Edit(Op.EQUAL, "efghij"),
        )
        expected = Hunk(0, 0, (*edits[:3], Edit(Op.EQUAL, "efgh")))
        assert (expected,) == Patch.from_diff(Diff(edits), context=4).hunks

    def test_default_context(self) -> None:
        """By default 4 characters of context, diff-match-patch's margin."""
        old, new = "abcdefghijKlmnopqrst", "abcdefghijXlmnopqrst"
        edits = diff(old, new, granularity="char").edits
        expected = Hunk(
            6,
            6,
            (
                Edit(Op.EQUAL, "ghij"),
                Edit(Op.DELETE, "K"),
                Edit(Op.INSERT, "X"),
                Edit(Op.EQUAL, "lmno"),
            ),
        )
        assert ((expected,), (expected,)) == (
            make_patch(old, new, granularity="char").hunks,
            Patch.from_diff(Diff(edits)).hunks,
        )

    @settings(max_examples=20)
    @given(texts(), st.data())
    def test_cut_equal_runs(self, old: str, data: st.DataObject) -> None:
        """Cutting a diff's runs into single characters changes no hunk."""
        new = data.draw(edited(old))
        whole = diff(old, new, granularity="char", detect_moves=False)
        cut = Diff(
            tuple(
                Edit(edit.op, char)
                for edit in whole.edits
                for char in edit.text
            )
        )
        context = data.draw(st.integers(0, 5))
        assert Patch.from_diff(whole, context=context) == Patch.from_diff(
            cut, context=context
        )

    def test_cut_equal_runs_example(self) -> None:
        """Short equal runs on both sides of a change keep their text."""
        cut = Diff(
            (
                Edit(Op.EQUAL, "ab"),
                Edit(Op.EQUAL, "cd"),
                Edit(Op.DELETE, "x"),
                Edit(Op.EQUAL, "ef"),
                Edit(Op.EQUAL, "gh"),
            )
        )
        expected = Hunk(
            0,
            0,
            (
                Edit(Op.EQUAL, "abcd"),
                Edit(Op.DELETE, "x"),
                Edit(Op.EQUAL, "efgh"),
            ),
        )
        assert (expected,) == Patch.from_diff(cut, context=4).hunks

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("x One Two three", "y one two four"),
            ("The Cat sat on the mat.", "the cat sat on a mat."),
            ("a B c D e", "a b c d e"),
        ],
    )
    def test_ignored_differences_rebuilt(self, old: str, new: str) -> None:
        """Runs equal only when case is ignored still rebuild the new text."""
        d = diff(old, new, ignore_case=True)
        assert new == Patch.from_diff(d).apply(old)


class TestApplyReports:
    """apply() names every hunk that failed, and the text is not touched."""

    def test_every_failed_hunk(self) -> None:
        """All hunks that do not match are listed, not just the first."""
        old = "one two three four five six seven eight nine ten"
        patch = make_patch(old, old.replace("two", "2").replace("nine", "9"))
        text = old.replace("two", "TWO").replace("nine", "NINE")
        with pytest.raises(PatchConflictError) as info:
            patch.apply(text)
        assert ((0, 1), True) == (
            info.value.failed,
            "hunks [0, 1]" in str(info.value),
        )

    def test_only_failed_hunks(self) -> None:
        """A failing hunk after a good one is reported alone."""
        old = "one two three four five six seven eight nine ten"
        patch = make_patch(old, old.replace("two", "2").replace("nine", "9"))
        with pytest.raises(PatchConflictError) as info:
            patch.apply(old.replace("nine", "NINE"))
        assert ((1,), True) == (
            info.value.failed,
            "hunks [1]" in str(info.value),
        )

    def test_split_surrogate_fails_all(self) -> None:
        """A hunk landing inside a surrogate pair fails every hunk."""
        patch = Patch(
            (
                Hunk(0, 0, (Edit(Op.INSERT, "y"),)),
                Hunk(2, 3, (Edit(Op.INSERT, "x"),)),
            )
        )
        with pytest.raises(PatchConflictError) as info:
            patch.apply("a\U0001f600b")
        assert (0, 1) == info.value.failed


class TestDmpRawText:
    """Patch text may hold characters unescaped, as people write it."""

    @pytest.mark.parametrize("char", ["\u00e9", "\u7684", "\U0001f600"])
    def test_raw_characters(self, char: str) -> None:
        """A line with raw non-ASCII text reads as if it were escaped."""
        raw = f"@@ -1,3 +1,{2 + len(char.encode('utf-16-le')) // 2} @@\n"
        raw += f" c\n-a\n+{char}\n t\n"
        assert (f"c{char}t", Patch.parse(raw)) == (
            Patch.parse(raw).apply("cat"),
            make_patch("cat", f"c{char}t", granularity="char", context=1),
        )


class TestComposeOverlap:
    """then() joins hunks that start at the same place in the middle text."""

    @pytest.mark.parametrize(
        ("a", "b", "c"),
        [("ae", "Dae", "De"), ("ae", "DDae", "DDe"), ("xae", "xDDae", "xDe")],
    )
    def test_insert_then_wider_hunk(self, a: str, b: str, c: str) -> None:
        """An insertion covered by a later hunk's context composes exactly."""
        p = make_patch(a, b, granularity="char", context=0)
        q = make_patch(b, c, granularity="char", context=1)
        assert c == p.then(q).apply(a)
