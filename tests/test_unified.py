from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import subprocess
from typing import TYPE_CHECKING

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import Edit, Op, UnifiedDiff, UnifiedHunk, unified_diff
from revtrack.exceptions import (
    InvalidRevisionError,
    PatchConflictError,
    PatchError,
    PatchFormatError,
)

from . import corpora

if TYPE_CHECKING:
    from pathlib import Path

_LINES = (
    "a\n",
    "b\n",
    "same\n",
    "\n",
    "crlf\r\n",
    "lone\rcr\n",
    "\U0001f600 emoji\n",
    "e\u0301\n",
    "-dash\n",
    "+plus\n",
    " space\n",
    "\\ backslash\n",
    "@@ at\n",
    "--- x\n",
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Texts of tricky lines, the last one sometimes without a newline."""
    lines = draw(
        st.lists(
            st.one_of(st.sampled_from(_LINES), st.text(max_size=4)),
            max_size=14,
        )
    )
    return "".join(lines)


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A text and, usually, an edited copy of it."""
    old = draw(texts())
    lines = old.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        lines[at : at + draw(st.integers(0, 2))] = draw(
            st.lists(st.sampled_from(_LINES).map(str.rstrip), max_size=2)
        )
    new = draw(st.one_of(st.just("\n".join(lines)), texts()))
    return old, new


_TIME = pendulum.datetime(2019, 8, 1, 9, 30, tz="Europe/London")
times = st.one_of(
    st.none(),
    st.builds(
        lambda seconds, offset: dt.datetime.fromtimestamp(
            seconds, dt.timezone(dt.timedelta(minutes=offset))
        ),
        st.integers(0, 2_000_000_000),
        st.integers(-14 * 60, 14 * 60),
    ),
)


class TestUnifiedDiff:
    """unified_diff."""

    def test_gnu_header_and_marker(self) -> None:
        """Headers carry GNU timestamps; a missing newline is marked."""
        text = unified_diff(
            "a\nb\n",
            "a\nc",
            old_label="v1",
            new_label="v2",
            old_time=_TIME,
            new_time=_TIME.add(days=1),
        )
        expected = (
            "--- v1\t2019-08-01 09:30:00.000000000 +0100\n"
            "+++ v2\t2019-08-02 09:30:00.000000000 +0100\n"
            "@@ -1,2 +1,2 @@\n"
            " a\n"
            "-b\n"
            "+c\n"
            "\\ No newline at end of file\n"
        )
        assert expected == text

    def test_insert_into_empty(self) -> None:
        """An empty old text gives a '-0,0' range, as GNU diff writes."""
        assert "@@ -0,0 +1,2 @@\n+x\n+y\n" == unified_diff("", "x\ny\n")[16:]

    def test_equal_texts(self) -> None:
        """Equal texts give no diff at all."""
        assert "" == unified_diff("same\r\n", "same\r\n")

    def test_context_lines(self) -> None:
        """Only *context* unchanged lines surround a change."""
        old = "".join(f"{i}\n" for i in range(10))
        new = old.replace("5\n", "five\n")
        hunk = UnifiedDiff.parse(unified_diff(old, new, context=1)).hunks[0]
        assert ["4\n", "5\n", "five\n", "6\n"] == [e.text for e in hunk.lines]

    def test_naive_time_refused(self) -> None:
        """A naive timestamp is refused with a hint."""
        with pytest.raises(InvalidRevisionError, match="aware datetime"):
            unified_diff("a", "b", old_time=dt.datetime(2019, 8, 1))  # noqa: DTZ001

    def test_offset_in_seconds_refused(self) -> None:
        """A local mean time offset cannot be written as +hhmm."""
        lmt = pendulum.datetime(1800, 1, 1, tz="Europe/London")
        with pytest.raises(InvalidRevisionError, match="-75 s"):
            unified_diff("a", "b", new_time=lmt)

    def test_label_with_tab_refused(self) -> None:
        """A label cannot hold the tab that separates the timestamp."""
        with pytest.raises(PatchFormatError, match="without tabs"):
            unified_diff("a", "b", old_label="a\tb")

    def test_bad_context_refused(self) -> None:
        """A negative context is refused."""
        with pytest.raises(InvalidRevisionError, match="context must be"):
            unified_diff("a", "b", context=-1)

    def test_hunk_lines_checked(self) -> None:
        """A hunk line holds exactly one line of text."""
        with pytest.raises(PatchFormatError, match="an Edit of one line"):
            UnifiedHunk(1, 1, (Edit(Op.DELETE, "a\nb\n"),))

    def test_non_str_refused(self) -> None:
        """Only texts can be diffed."""
        with pytest.raises(InvalidRevisionError, match="must be a str"):
            unified_diff(b"a", "b")  # type: ignore[arg-type]


class TestRoundTrip:
    """UnifiedDiff.parse, format and apply."""

    @settings(max_examples=300, deadline=None)
    @given(text_pairs(), times, times, st.integers(0, 4))
    def test_parse_format_apply(
        self,
        pair: tuple[str, str],
        old_time: dt.datetime | None,
        new_time: dt.datetime | None,
        context: int,
    ) -> None:
        """Parsing gives back the text, and applying gives the new text."""
        old, new = pair
        text = unified_diff(
            old, new, old_time=old_time, new_time=new_time, context=context
        )
        if old == new:
            assert "" == text
            return
        parsed = UnifiedDiff.parse(text)
        assert (text, new, (old_time, new_time)) == (
            parsed.format(),
            parsed.apply(old),
            (parsed.old_time, parsed.new_time),
        )

    def test_preamble_skipped(self) -> None:
        """Lines before the '---' header are skipped, as GNU patch does."""
        text = "diff --git a/x b/x\nindex 1..2\n" + unified_diff(
            "x\n", "y\n", old_label="a/x", new_label="b/x"
        )
        assert "a/x" == UnifiedDiff.parse(text).old_label

    def test_section_heading_ignored(self) -> None:
        """Text after the second '@@' (a function name) is allowed."""
        parsed = UnifiedDiff.parse("--- a\n+++ b\n@@ -1 +1 @@ intro\n-x\n+y\n")
        assert "y\n" == parsed.apply("x\n")

    def test_values_round_trip(self) -> None:
        """A value built by hand formats and parses back equal."""
        value = UnifiedDiff(
            "old.md",
            "new.md",
            _TIME,
            None,
            (
                UnifiedHunk(
                    2, 2, (Edit(Op.EQUAL, "b\r\n"), Edit(Op.DELETE, "c"))
                ),
            ),
        )
        assert value == UnifiedDiff.parse(value.format())


class TestParseErrors:
    """UnifiedDiff.parse on bad input."""

    @given(st.text())
    def test_fuzz(self, text: str) -> None:
        """Any text either parses or raises PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            UnifiedDiff.parse(text)

    @given(
        st.lists(
            st.sampled_from(
                [
                    "--- a",
                    "+++ b",
                    "@@ -1 +1 @@",
                    "@@ -0,0 +1,2 @@",
                    "@@ -1,2 +0,0 @@",
                    "-x",
                    "+y",
                    " z",
                    "",
                    "\\ No newline at end of file",
                    "--- a\t2019-13-01 00:00:00 +0000",
                ]
            ),
            max_size=9,
        )
    )
    def test_fuzz_near_miss(self, lines: list[str]) -> None:
        """Texts of diff-like lines parse or raise PatchFormatError."""
        with contextlib.suppress(PatchFormatError):
            UnifiedDiff.parse("\n".join(lines))

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ("hello\n", "line 1: no '--- '"),
            ("--- a\n", "line 2: expected a '\\+\\+\\+ '"),
            ("--- a\n+++ b\nhunk\n", "line 3: expected a hunk header"),
            (
                "--- a\n+++ b\n@@ -1,2 +1 @@\n-x\n",
                "line 5: the hunk at line 3",
            ),
            ("--- a\n+++ b\n@@ -1 +1 @@\n*x\n+y\n", "line 4: expected ' '"),
            ("--- a\t2019-08-01\n+++ b\n", "line 1: expected a timestamp"),
            ("--- a\n+++ b\n@@ -1 +1 @@\n\\ x\n", "line 4: a '\\\\' marker"),
            ("--- a\n+++ b\n@@ -1 +1,2 @@\n-a\n-b\n", "line 5: more lines"),
            ("--- a\r\n+++ b\n", "line 1: a header cannot hold"),
            ("--- a\n+++ b\n@@ -0,0 +0,0 @@\n", "line 3: a hunk must hold"),
            ("--- a\n+++ b\n@@ -0 +1 @@\n-a\n+b\n", "line 3: old line 0"),
            (
                "--- a\n+++ b\n@@ -3 +3 @@\n-x\n+y\n@@ -1 +1 @@\n-x\n+y\n",
                "line 6: the hunk starts at old line 1",
            ),
        ],
    )
    def test_error_names_line(self, text: str, where: str) -> None:
        """Each error names the line it found the problem on."""
        with pytest.raises(PatchFormatError, match=where):
            UnifiedDiff.parse(text)


class TestApply:
    """UnifiedDiff.apply on text it was not made from."""

    def test_non_str_refused(self) -> None:
        """Only a str can be patched, and parsed."""
        parsed = UnifiedDiff.parse(unified_diff("a\n", "b\n"))
        with pytest.raises(PatchError, match="only patch a str"):
            parsed.apply(b"a\n")  # type: ignore[arg-type]
        with pytest.raises(PatchFormatError, match="as str, got bytes"):
            UnifiedDiff.parse(b"--- a\n")  # type: ignore[arg-type]

    def test_conflict(self) -> None:
        """A hunk whose lines are not there is named; nothing is returned."""
        parsed = UnifiedDiff.parse(unified_diff("a\nb\nc\n", "a\nB\nc\n"))
        with pytest.raises(PatchConflictError) as info:
            parsed.apply("a\nx\nc\n")
        assert (0,) == info.value.failed


def _run_tool(tmp: Path, tool: str, old: str, diff_text: str) -> bytes:
    (tmp / "doc.txt").write_bytes(old.encode())
    (tmp / "change.diff").write_bytes(diff_text.encode())
    if tool == "patch":
        command = ["patch", "--batch", "--silent", "-p1", "-i", "change.diff"]
    else:
        command = ["git", "apply", "--whitespace=nowarn", "change.diff"]
    subprocess.run(command, cwd=tmp, check=True, capture_output=True)
    return (tmp / "doc.txt").read_bytes()


_TRICKY = (
    ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),
    ("one\rtwo\nthree\n", "one\rTWO\nthree"),
    ("no newline", "no newline at all"),
    ("x\n", "x"),
    ("", "new\n"),
    ("\U0001f600\n" * 5, "\U0001f600\n" * 4 + "\U0001f30d\n"),
)


@pytest.mark.parametrize("tool", ["patch", "git"])
class TestTools:
    """GNU patch and git apply read revtrack's unified diffs."""

    def _check(self, tmp: Path, tool: str, old: str, new: str) -> None:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
        text = unified_diff(
            old,
            new,
            old_label="a/doc.txt",
            new_label="b/doc.txt",
            old_time=_TIME,
            new_time=_TIME.add(hours=1),
        )
        assert new.encode() == _run_tool(tmp, tool, old, text)

    @pytest.mark.parametrize(("old", "new"), _TRICKY)
    def test_tricky_texts(
        self, tmp_path: Path, tool: str, old: str, new: str
    ) -> None:
        """CRLF, lone CR and missing final newlines come out byte-equal."""
        self._check(tmp_path, tool, old, new)

    @pytest.mark.parametrize("name", corpora.NAMES)
    def test_corpus_pairs(self, tmp_path: Path, tool: str, name: str) -> None:
        """Sampled consecutive corpus revisions come out byte-equal."""
        for old, new in corpora.pairs(name, 3):
            self._check(tmp_path, tool, old, new)


class TestFuzzRegressions:
    """Unified diffs that escaped as errors other than PatchFormatError."""

    @pytest.mark.parametrize("offset", ["+8070", "-2400", "+0060"])
    def test_offset_out_of_range(self, offset: str) -> None:
        """A header offset of a day or more is refused (was ValueError)."""
        text = (
            f"--- a\t2019-08-01 09:30:00.000000000 {offset}\n"
            "+++ b\n@@ -1 +1 @@\n-x\n+y\n"
        )
        with pytest.raises(PatchFormatError, match="line 1: expected a time"):
            UnifiedDiff.parse(text)

    def test_largest_offset(self) -> None:
        """The largest offset Python holds still reads."""
        text = "--- a\t2019-08-01 09:30:00 -2359\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"
        old_time = UnifiedDiff.parse(text).old_time
        assert old_time is not None
        assert dt.timedelta(hours=-23, minutes=-59) == old_time.utcoffset()
