"""The compact encoding: deltas, snapshot placement, bounded inflation."""

from __future__ import annotations

import contextlib
import json
import lzma
import zlib
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from revtrack import _compact as compact_module
from revtrack._compact import (
    ChainPolicy,
    Link,
    apply_delta,
    compact_json,
    encode_delta,
    inflate,
    link_after,
    make_delta,
    plan,
    skip_base,
)
from revtrack.exceptions import FormatError, LimitExceededError

from .strategies import texts

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """A text and a copy with a few splices, as revisions usually are."""
    old = draw(st.lists(texts(), max_size=6).map("\n".join))
    new = old
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(new)))
        end = draw(st.integers(start, len(new)))
        new = new[:start] + draw(texts()) + new[end:]
    return old, new


def _rebuild(
    texts_: list[str], placed: Sequence[tuple[Link, object]], number: int
) -> str:
    """Rebuild revision *number* from the plan alone, as a reader would."""
    link, delta = placed[number - 1]
    if link.base is None:
        return texts_[number - 1]
    base = _rebuild(texts_, placed, link.base)
    return apply_delta(base, encode_delta(delta))  # type: ignore[arg-type]


class TestMakeDelta:
    """make_delta() and apply_delta() are exact inverses."""

    @given(texts(), texts())
    def test_any_texts(self, old: str, new: str) -> None:
        """Applying the delta from old to new to old gives new exactly."""
        assert new == apply_delta(old, encode_delta(make_delta(old, new)))

    @given(edited())
    def test_edited_texts(self, pair: tuple[str, str]) -> None:
        """Edited texts with CRs, astral characters and joins round-trip."""
        old, new = pair
        assert new == apply_delta(old, encode_delta(make_delta(old, new)))

    @given(edited())
    def test_through_json(self, pair: tuple[str, str]) -> None:
        """A delta survives encoding as JSON and reading back."""
        old, new = pair
        carried = json.loads(json.dumps(encode_delta(make_delta(old, new))))
        assert new == apply_delta(old, carried)

    def test_small_edit_small_delta(self) -> None:
        """A one-word edit to a long text inserts only that word."""
        old = "".join(f"line {i} of the text\n" for i in range(2000))
        new = old.replace("line 1000 of", "line 1000 in")
        inserted = [op for op in make_delta(old, new) if isinstance(op, str)]
        assert ["in"] == inserted

    def test_moved_block(self) -> None:
        """A moved paragraph is copied from its old place, not inserted."""
        a = "".join(f"alpha paragraph line {i}\n" for i in range(50))
        b = "".join(f"beta paragraph line {i}\n" for i in range(50))
        delta = make_delta(a + b, b + a)
        assert [] == [op for op in delta if isinstance(op, str)]

    def test_line_endings(self) -> None:
        """CRLF, lone CR and no final newline are kept exactly."""
        old = "a\r\nb\rc\n" * 20 + "end"
        new = "a\r\nb\nc\r" * 20 + "end\r"
        assert new == apply_delta(old, encode_delta(make_delta(old, new)))


class TestApplyDelta:
    """apply_delta() refuses damaged deltas."""

    @pytest.mark.parametrize(
        "delta",
        [
            [[0, 99], ["", ""]],
            [[-1, 1], ["", ""]],
            [[0, -1], ["", ""]],
            [[0], [""]],
            [[0, 1], [""]],
            [[0, 1], ["", "", ""]],
            [[True, 1], ["", ""]],
            [[0.0, 1], ["", ""]],
            [[0, 1], ["", 3]],
            [[0, 1]],
            [[], [""], []],
            "ab",
            None,
            {"a": 1},
        ],
    )
    def test_bad_delta(self, delta: object) -> None:
        """A copy out of range or a value of the wrong type fails."""
        with pytest.raises(FormatError, match="expected a delta"):
            apply_delta("abc", delta)

    @pytest.mark.parametrize(
        ("delta", "says"),
        [
            ([5, [""]], "got [5, ['']]"),
            ([[0, 1], "ab"], "got [[0, 1], 'ab']"),
            ([[0], [""]], "got 1 copy numbers and 1 strings"),
            ([[0, 1], ["", 5]], "got values of other types"),
            ([[0, "1"], ["", ""]], "got values of other types"),
            (
                [[1, 3], ["", ""]],
                "a copy reaches outside the 3-character base",
            ),
        ],
    )
    def test_says_what_arrived(self, delta: object, says: str) -> None:
        """The error quotes or counts what arrived, and calls it corrupt."""
        with pytest.raises(FormatError) as info:
            apply_delta("abc", delta)
        assert says in str(info.value)
        assert str(info.value).endswith("the data is corrupt")

    def test_empty_copy(self) -> None:
        """A copy of no characters is allowed, anywhere in the base."""
        delta = [[0, 0, 3, 0, 1, 2], ["x", "", "y", ""]]
        assert "xybc" == apply_delta("abc", delta)

    def test_limit(self) -> None:
        """A delta that would rebuild more than the limit is refused."""
        with pytest.raises(LimitExceededError, match="limit of 5"):
            apply_delta("abc", [[0, 3, 0, 3], ["", "", ""]], limit=5)

    @given(st.lists(st.one_of(st.text(), st.lists(st.integers() | st.text()))))
    def test_fuzz(self, delta: list[object]) -> None:
        """Any JSON-ish list either applies or raises FormatError."""
        with contextlib.suppress(FormatError):
            apply_delta("some base text", delta)


class TestPlan:
    """Snapshots are placed so rebuilding any revision is bounded."""

    @settings(max_examples=30)
    @given(st.lists(edited(), min_size=1, max_size=40))
    def test_rebuilds_every_revision(
        self, pairs: list[tuple[str, str]]
    ) -> None:
        """Every revision rebuilds from its snapshot and its deltas."""
        texts_ = [new for _, new in pairs]
        placed = plan(texts_, policy=ChainPolicy(max_depth=3))
        rebuilt = [
            _rebuild(texts_, placed, n) for n in range(1, len(texts_) + 1)
        ]
        assert texts_ == rebuilt

    @settings(max_examples=30)
    @given(
        st.lists(edited(), min_size=1, max_size=60),
        st.integers(1, 6),
        st.floats(0.1, 4),
    )
    def test_bounds(
        self, pairs: list[tuple[str, str]], depth: int, ratio: float
    ) -> None:
        """No chain is deeper or reads more than allowed; no delta is big."""
        texts_ = [new for _, new in pairs]
        policy = ChainPolicy(max_depth=depth, max_ratio=ratio)
        placed = plan(texts_, policy=policy)
        too_deep = [link for link, _ in placed if link.depth > depth]
        too_wide = [
            link
            for link, _ in placed
            if link.span
            > ratio * max(len(texts_[link.number - 1].encode()), 1)
        ]
        too_big = [
            link
            for link, _ in placed
            if link.base is not None
            and 2 * (link.span - placed[link.base - 1][0].span)
            > max(len(texts_[link.number - 1].encode()), 1)
        ]
        assert ([], [], []) == (too_deep, too_wide, too_big)

    def test_span_counts_stored_bytes(self) -> None:
        """A link's span adds the compact UTF-8 JSON bytes of its deltas."""
        texts_ = [
            "Première ligne.\n" * 8,
            "Première ligne.\n" * 8 + "Deuxième ligne, « citée ».\n",
            "Première ligne.\n" * 8 + "Troisième: ça va.\n",
        ]
        placed = plan(texts_, policy=ChainPolicy())
        spans: list[int] = []
        for link, delta in placed:
            if link.base is None or delta is None:
                assert (None, None) == (link.base, delta)
                spans.append(0)
                continue
            stored = json.dumps(
                encode_delta(delta), ensure_ascii=False, separators=(",", ":")
            )
            spans.append(spans[link.base - 1] + len(stored.encode()))
        assert [None, 1, 1] == [link.base for link, _ in placed]
        assert spans == [link.span for link, _ in placed]

    def test_first_is_snapshot(self) -> None:
        """The first revision is always a full snapshot."""
        placed = plan(["a", "a"], policy=ChainPolicy())
        assert (None, None) == (placed[0][0].base, placed[0][1])

    def test_skip_bases(self) -> None:
        """Inside a segment, position p deltas against p & (p - 1)."""
        links = [Link(1, 1, None, 0, 0)]
        bases = []
        for number in range(2, 10):
            base = skip_base(links[-1])
            assert base is not None
            bases.append(base)
            links.append(
                link_after(
                    number,
                    links[base - 1],
                    delta_size=1,
                    text_size=100,
                    policy=ChainPolicy(),
                )
            )
        assert [1, 1, 3, 1, 5, 5, 7, 1] == bases
        assert [0, 1, 1, 2, 1, 2, 2, 3, 1] == [link.depth for link in links]


class TestInflate:
    """inflate() reads zlib and xz data within a limit."""

    @given(st.binary(max_size=200))
    def test_round_trip(self, data: bytes) -> None:
        """Both formats give back what was compressed."""
        assert (data, data) == (
            inflate(zlib.compress(data), limit=200),
            inflate(lzma.compress(data), limit=200),
        )

    def test_limit(self) -> None:
        """Data inflating past the limit is refused, not read whole."""
        bomb = zlib.compress(b"\0" * 10_000_000)
        with pytest.raises(LimitExceededError, match="1000 bytes"):
            inflate(bomb, limit=1000)

    @pytest.mark.parametrize("pack", [zlib.compress, lzma.compress])
    def test_truncated(self, pack: object) -> None:
        """Truncated data is a FormatError."""
        data = pack(b"some text " * 50)  # type: ignore[operator]
        with pytest.raises(FormatError):
            inflate(data[:-5], limit=10_000)

    @given(st.binary(max_size=100))
    def test_fuzz(self, data: bytes) -> None:
        """Any bytes either inflate or raise FormatError."""
        with contextlib.suppress(FormatError):
            inflate(data, limit=1000)


class TestCharacterMatches:
    """Inside a changed line, shared runs of characters are copied."""

    _BASE = "".join(f"line {i} of the text\n" for i in range(100))
    _ONE = "the first part of this line is shared by both"
    _TWO = "and so is the second part, after a changed word"

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            (
                f"alpha {_ONE} omega\n",
                f"ALPHA {_ONE} OMEGA\n",
                ["ALPHA", "OMEGA"],
            ),
            (
                f"alpha {_ONE} cat {_TWO} omega\n",
                f"ALPHA {_ONE} dog {_TWO} OMEGA\n",
                ["ALPHA", "dog", "OMEGA"],
            ),
            (
                f"alpha {_ONE} omega\n",
                f"ALPHA {_ONE} {_ONE} OMEGA\n",
                ["ALPHA", "OMEGA"],
            ),
            (_ONE + _TWO, _TWO + _ONE, []),
        ],
    )
    def test_only_changed_words_inserted(
        self, old: str, new: str, expected: list[str]
    ) -> None:
        """A line changed at both ends inserts only the changed words."""
        old, new = self._BASE + old + self._BASE, self._BASE + new + self._BASE
        delta = make_delta(old, new)
        inserted = [op for op in delta if isinstance(op, str)]
        rebuilt = apply_delta(old, encode_delta(delta))
        assert (expected, new) == (inserted, rebuilt)


def _decoyed(run: str, kept: set[int]) -> str:
    """
    Return a base gap where *run* is found only by its k-grams in *kept*.

    Every other k-gram of *run* first appears alone between bars, where it
    matches too little to copy, so only the kept ones lead to *run*.
    """
    k = compact_module._GRAM
    decoys = [run[o : o + k] for o in range(len(run) - k + 1) if o not in kept]
    return "|".join([*decoys, run])


class TestCharacterSearch:
    """Inside a changed region, a shared run is copied however it is found."""

    _RUN = "abcdefghijklmnopqrstuvwxyz0123456789"

    @pytest.mark.parametrize(
        ("size", "kept", "before"),
        [
            (24, {0}, ""),  # the shortest copy, found at its first k-gram
            (24, {0}, "#"),  # ... one character into the insert
            (24, {16}, ""),  # found only at the last k-gram of both sides
            (25, {17}, ""),  # ... an odd step after the start
            (24, {1}, ""),  # found at its second k-gram, extended back
        ],
    )
    def test_run_copied(self, size: int, kept: set[int], before: str) -> None:
        """A run of at least _MIN_COPY characters is copied, not inserted."""
        run = self._RUN[:size]
        gap = _decoyed(run, kept)
        found = compact_module._match_chars(gap, before + run, 100)
        expected = [before] if before else []
        assert [*expected, (100 + gap.rindex(run), size)] == found

    def test_short_run_inserted(self) -> None:
        """A shared run one character short of _MIN_COPY stays inserted."""
        run = self._RUN[: compact_module._MIN_COPY - 1]
        gap = _decoyed(run, {0})
        insert = "#" + run + "#"
        assert [insert] == compact_module._match_chars(gap, insert, 0)

    def test_copy_stays_inside_gap(self) -> None:
        """Extending a copy backwards stops at the start of the gap."""
        run = self._RUN[:24]
        gap = run + "Z"
        found = compact_module._match_chars(gap, "Z" + run, 7)
        assert ["Z", (7, 24)] == found

    @pytest.mark.parametrize("extra", [0, 1])
    def test_gap_size_bound(self, extra: int) -> None:
        """Gaps up to _MAX_GAP characters are searched; longer are not."""
        size = compact_module._MAX_GAP + extra
        run = self._RUN[:24]
        gap = run + "|" * (size - len(run))
        found = compact_module._match_chars(gap, "#" + run, 0)
        expected = ["#", (0, 24)] if not extra else ["#" + run]
        assert expected == found


class TestDeltaEncoding:
    """encode_delta() keeps every instruction of any delta, in order."""

    @settings(max_examples=30)
    @example(base="abc", ops=["x", "y", (0, 2), "z"])
    @given(
        st.text(min_size=1, max_size=20),
        st.lists(
            st.one_of(st.text(max_size=5), st.tuples(st.integers(0, 20))),
            max_size=8,
        ),
    )
    def test_matches_plain_rebuild(
        self, base: str, ops: list[str | tuple[int]]
    ) -> None:
        """Applying an encoded delta equals joining its pieces one by one."""
        delta = tuple(
            op if isinstance(op, str) else (op[0] % len(base), 1) for op in ops
        )
        plain = "".join(
            op if isinstance(op, str) else base[op[0] : op[0] + op[1]]
            for op in delta
        )
        assert plain == apply_delta(base, encode_delta(delta))


class TestDeltaErrors:
    """apply_delta() quotes a value that is not a pair of lists at all."""

    @pytest.mark.parametrize(
        ("delta", "says"),
        [("ab", "got 'ab'"), ([[0, 1]], "got [[0, 1]]"), (None, "got None")],
    )
    def test_quotes_value(self, delta: object, says: str) -> None:
        """The error quotes the value that arrived."""
        with pytest.raises(FormatError) as info:
            apply_delta("abc", delta)
        assert says in str(info.value)


class TestInflateBounds:
    """inflate() stops reading past its limit and says what went wrong."""

    _DATA = bytes(range(256)) * 40

    @pytest.mark.parametrize("pack", [zlib.compress, lzma.compress])
    def test_stops_past_limit(self, pack: Callable[[bytes], bytes]) -> None:
        """Past the limit inflation stops: later damage is never read."""
        damaged = bytearray(pack(self._DATA))
        damaged[-1] ^= 0xFF  # the checksum or footer at the very end
        with pytest.raises(LimitExceededError):
            inflate(bytes(damaged), limit=1000)

    @pytest.mark.parametrize(
        ("pack", "name"), [(zlib.compress, "zlib"), (lzma.compress, "xz")]
    )
    def test_corrupt_names_format(
        self, pack: Callable[[bytes], bytes], name: str
    ) -> None:
        """Corrupt data is a FormatError naming the format and the damage."""
        damaged = bytearray(pack(self._DATA))
        damaged[-1] ^= 0xFF
        with pytest.raises(FormatError) as info:
            inflate(bytes(damaged), limit=len(self._DATA))
        message = str(info.value)
        assert (True, True) == (name in message, "corrupt" in message)

    @pytest.mark.parametrize("pack", [zlib.compress, lzma.compress])
    def test_truncated_says_size(self, pack: Callable[[bytes], bytes]) -> None:
        """The truncation error gives the size of the data that arrived."""
        data = pack(self._DATA)[:-20]
        with pytest.raises(FormatError) as info:
            inflate(data, limit=len(self._DATA))
        assert f"data of {len(data)} bytes is truncated" in str(info.value)


class TestSnapshotRule:
    """link_after() allows a delta right up to each bound, not past it."""

    @pytest.mark.parametrize(
        ("depth", "span", "delta", "size", "allowed"),
        [
            (2, 0, 1, 100, True),  # reaches max_depth (3) exactly
            (3, 0, 1, 100, False),  # one past it
            (1, 16, 4, 10, True),  # span 20 is max_ratio (2) times 10
            (1, 17, 4, 10, False),
            (1, 0, 5, 10, True),  # the delta is half the text
            (1, 0, 6, 10, False),
            (1, 0, 0, 0, True),  # an empty delta of an empty text
            (1, 0, 1, 0, False),  # an empty text counts as one byte
            (1, 0, 1, 1, False),
            (1, 0, 1, 2, True),
        ],
    )
    def test_bounds(
        self, depth: int, span: int, delta: int, size: int, allowed: bool
    ) -> None:
        """Depth, span and delta size each allow equality and no more."""
        base = Link(4, 1, 3, depth, span)
        link = link_after(
            5,
            base,
            delta_size=delta,
            text_size=size,
            policy=ChainPolicy(max_depth=3, max_ratio=2.0),
        )
        expected = (
            Link(5, 1, 4, depth + 1, span + delta)
            if allowed
            else Link(5, 5, None, 0, 0)
        )
        assert expected == link

    def test_new_segment_restarts_counts(self) -> None:
        """A snapshot has depth and span 0, so its deltas start afresh."""
        one = "The first text, line after line.\n" * 6
        two = "Something else entirely, a new page.\n" * 6
        texts_ = [one, one + "More.\n", two, two + "Again.\n"]
        placed = plan(texts_, policy=ChainPolicy())
        sizes = [
            0 if delta is None else len(compact_json(encode_delta(delta)))
            for _, delta in placed
        ]
        expected = [
            Link(1, 1, None, 0, 0),
            Link(2, 1, 1, 1, sizes[1]),
            Link(3, 3, None, 0, 0),
            Link(4, 3, 3, 1, sizes[3]),
        ]
        assert expected == [link for link, _ in placed]


class TestWholeInsertCopied:
    """A changed line whose new text all appears in the old one is copied."""

    def test_whole_insert_found(self) -> None:
        """A line cut down to a shared run copies that run, inserts nothing."""
        lines = "".join(f"line {i} of the text\n" for i in range(20))
        run = "a shared run of more than twenty-four characters"
        old = f"{lines}PPP {run} SSS\n{lines}"
        new = f"{lines}{run}\n{lines}"
        assert [] == [op for op in make_delta(old, new) if isinstance(op, str)]
