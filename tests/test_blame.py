"""blame: which revision wrote each line or word."""

from __future__ import annotations

import functools
import gzip
import json
import random
import re
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import BlameSpan, Document, blame
from revtrack._blame import _old_offset
from revtrack.exceptions import InvalidRevisionError, RevisionNotFoundError

if TYPE_CHECKING:
    from collections.abc import Sequence

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

# The checker's own idea of lines and words, written apart from _blame.
_SPLIT = {
    "line": re.compile(r"[^\n]*\n|[^\n]+"),
    "word": re.compile(r"\s+|\S+\s*"),
}


def _document(texts: Sequence[str]) -> Document:
    doc = Document("d", "T", allow_backwards=True)
    doc.publish(texts[0], at="2019-07-31T10:00Z")
    for day, text in enumerate(texts[1:], start=1):
        doc.update(text, at=f"2019-08-{day % 28 + 1:02}T10:00Z", minor=True)
    return doc


def check(
    texts: Sequence[str],
    spans: Sequence[BlameSpan],
    granularity: Literal["line", "word"],
) -> None:
    """
    Check a blame of the last of *texts* without using blame's code.

    What is checked, with R the blamed revision and r a span's revision:

    1. The spans are the tokens of R, in order (so they join into its
       text).
    2. Presence: for each token text t and each revision k from the
       earliest r claimed for t up to R, revision k has at least as many
       copies of t as there are spans of t claiming r <= k. So every span's
       text is in the revision it names and in every revision after it up
       to R, and no two spans lean on the same copy.
    3. First appearance, where position is unambiguous: a line that ends
       in a line break, is not blank, and occurs at most once in each of
       revisions r - 1 to R was not in revision r - 1, so the line is new
       at r. (Blank lines are left out: a diff may realign them freely,
       and blame then counts them as rewritten.)
    """
    split = _SPLIT[granularity].findall
    assert split(texts[-1]) == [s.text for s in spans]
    counts = [Counter(split(text)) for text in texts]
    claims: dict[str, list[int]] = {}
    for span in spans:
        claims.setdefault(span.text, []).append(span.revision.number)
    for text, origins in claims.items():
        for k in range(min(origins), len(texts) + 1):
            claimed = sum(1 for r in origins if r <= k)
            assert counts[k - 1][text] >= claimed, (text, origins, k)
    if granularity == "line":
        for span in spans:
            r, text = span.revision.number, span.text
            if (
                r > 1
                and text.endswith("\n")
                and text.strip()
                and all(c[text] <= 1 for c in counts[r - 2 :])
            ):
                assert counts[r - 2][text] == 0, (text, r)


@functools.cache
def _corpus(name: str) -> tuple[str, ...]:
    plain = CORPORA / f"{name}.jsonl"
    if plain.exists():
        lines = plain.read_text(encoding="utf-8").splitlines()
    else:
        with gzip.open(
            CORPORA / f"{name}.jsonl.gz", "rt", encoding="utf-8"
        ) as f:
            lines = f.read().splitlines()
    return tuple(json.loads(line)["text"] for line in lines)


# (corpus, first revision, how many): whole histories where they are
# small; a window of consecutive revisions from the big ones, to keep the
# suite short.
WINDOWS = [
    ("github-privacy-statement", 0, 70),
    ("github-terms-of-service", 0, 44),
    ("de-btmg", 0, 10),
    ("art-of-command-line-zh", 0, 56),
    ("whatwg-url", 400, 25),
    ("awesome-readme", 0, 958),
]


class TestCorpora:
    """The checker accepts blame on every corpus."""

    @pytest.mark.parametrize("granularity", ["line", "word"])
    @pytest.mark.parametrize(("name", "first", "count"), WINDOWS)
    def test_corpus(
        self,
        name: str,
        first: int,
        count: int,
        granularity: Literal["line", "word"],
    ) -> None:
        """Every span of the last revision passes the independent checker."""
        if not CORPORA.is_dir():
            pytest.skip(f"no corpora at {CORPORA}")
        texts = _corpus(name)[first : first + count]
        if granularity == "word" and len(texts) > 60:
            texts = texts[-60:]  # words: a shorter window is enough
        spans = blame(_document(texts), granularity=granularity)
        check(texts, spans, granularity)


class TestBlame:
    """Spans name the revision that wrote them."""

    def test_lines(self) -> None:
        """An edited line belongs to its editor; the others keep theirs."""
        doc = _document(["a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\nd\n"])
        assert [("a\n", 1), ("B\n", 2), ("c\n", 1), ("d\n", 3)] == [
            (s.text, s.revision.number) for s in blame(doc)
        ]

    def test_words(self) -> None:
        """Words keep their origin when others around them change."""
        doc = _document(["the cat sat\n", "the black cat sat\n"])
        assert [("the ", 1), ("black ", 2), ("cat ", 1), ("sat\n", 1)] == [
            (s.text, s.revision.number) for s in blame(doc, granularity="word")
        ]

    def test_moved_paragraph(self) -> None:
        """A moved paragraph keeps the revision that wrote it."""
        first = "Para one is about the meeting in London.\n"
        second = "Para two is about the statement signed.\n"
        doc = _document(
            [
                first + "\n" + second,
                second + "\nA new opening paragraph, all new.\n\n" + first,
            ]
        )
        origins = {s.text: s.revision.number for s in blame(doc)}
        assert (1, 1, 2) == (
            origins[first],
            origins[second],
            origins["A new opening paragraph, all new.\n"],
        )

    def test_swapped_paragraphs(self) -> None:
        """Paragraphs the diff reports as moved keep their origins."""
        one = "Para one is about the meeting in London today.\n"
        two = "Para two is about the statement signed.\n"
        mid = "Middle stays here.\n"
        doc = _document([one + "\n" + mid, one + "\n" + mid + "\n" + two])
        doc.update(
            two + "\n" + mid + "\n" + one, at="2019-09-01T10:00Z", minor=True
        )
        origins = {s.text: s.revision.number for s in blame(doc)}
        assert (1, 1, 2) == (origins[one], origins[mid], origins[two])

    def test_unchanged_move_offsets(self) -> None:
        """A block moved with no inner edits maps offsets to themselves."""
        assert 5 == _old_offset((), 5)

    def test_no_revisions(self) -> None:
        """A document with no revisions has nothing to blame."""
        assert () == blame(Document("d", "T"))

    def test_earlier_revision(self) -> None:
        """revision= blames an earlier revision."""
        doc = _document(["a\n", "a\nb\n", "c\n"])
        assert [("a\n", 1), ("b\n", 2)] == [
            (s.text, s.revision.number) for s in blame(doc, revision=2)
        ]

    def test_method(self) -> None:
        """Document.blame() gives the same spans as blame()."""
        doc = _document(["a b\n", "a c\n"])
        assert blame(doc, granularity="word") == doc.blame(granularity="word")

    def test_bad_granularity(self) -> None:
        """An unknown granularity raises and leaves the document alone."""
        doc = _document(["a\n", "b\n"])
        before = list(doc.revisions)
        with pytest.raises(InvalidRevisionError):
            blame(doc, granularity="char")  # type: ignore[arg-type]
        assert before == list(doc.revisions)

    def test_missing_revision(self) -> None:
        """A revision that does not exist raises RevisionNotFoundError."""
        with pytest.raises(RevisionNotFoundError):
            blame(_document(["a\n"]), revision=5)

    @given(
        st.lists(
            st.text(alphabet="ab \n.", max_size=30), min_size=1, max_size=8
        ),
        st.sampled_from(["line", "word"]),
    )
    @settings(max_examples=150, deadline=None)
    def test_checker_property(
        self, texts: list[str], granularity: Literal["line", "word"]
    ) -> None:
        """Any history of small texts passes the checker."""
        check(
            texts,
            blame(_document(texts), granularity=granularity),
            granularity,
        )

    @given(
        st.lists(
            st.lists(
                st.sampled_from(["x\n", "y\n", "z\n", "w\n"]), max_size=8
            ),
            min_size=1,
            max_size=8,
        )
    )
    @settings(max_examples=150, deadline=None)
    def test_line_shuffles(self, histories: list[list[str]]) -> None:
        """Histories that move and repeat whole lines pass the checker."""
        texts = ["".join(lines) for lines in histories]
        check(texts, blame(_document(texts)), "line")


_WORDS = (  # noqa: SIM905 - reads better than a column of words
    "the a of to and in for on with by from at as is are was be this "
    "that guidance rules apply people must should may can form tax fee "
    "date"
).split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(5, 14))
    return " ".join(words).capitalize() + "."


def _long_history(n: int) -> list[str]:
    """Return *n* seeded texts of about 2 KB, each one small edit apart."""
    rng = random.Random(8)  # noqa: S311 - seeded test data
    paras = [[_sentence(rng) for _ in range(2)] for _ in range(8)]
    texts = []
    for _ in range(n):
        texts.append("\n\n".join(" ".join(p) for p in paras) + "\n")
        para = rng.choice(paras)
        roll = rng.random()
        if roll < 0.5:
            s = rng.randrange(len(para))
            words = para[s].split(" ")
            words[rng.randrange(len(words) - 1)] = rng.choice(_WORDS)
            para[s] = " ".join(words)
        elif roll < 0.75 and len(texts[-1]) < 2000:
            para.insert(rng.randrange(len(para) + 1), _sentence(rng))
        elif roll < 0.9 and len(para) > 1:
            del para[rng.randrange(len(para))]
        else:
            paras.append(paras.pop(paras.index(para)))
    return texts


class TestMemoryBound:
    """Blame's peak memory does not grow with the number of revisions."""

    def test_long_history(self) -> None:
        """3,000 revisions of 2 KB: at most 60x the largest revision."""
        texts = _long_history(3_000)
        doc = Document("d", "T")
        start = pendulum.datetime(2019, 7, 31, tz="UTC")
        doc.publish(texts[0], at=start)
        for minutes, text in enumerate(texts[1:], start=1):
            doc.update(text, at=start.add(minutes=minutes), minor=True)
        # Compile the tokenizers' patterns before counting.
        blame(_document(["One. Two\n", "One! Three\n"]), granularity="word")
        tracemalloc.start()
        try:
            spans = blame(doc)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert texts[-1] == "".join(s.text for s in spans)
        largest = max(len(t.encode()) for t in texts)
        assert peak <= 60 * largest
