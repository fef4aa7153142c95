"""Tests for revtrack._tokens: splitting text into tokens."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack._tokens import (
    _BREAK,
    _CJK_SENTENCE_END,
    _SENTENCE_END,
    GRANULARITIES,
    _pattern,
    count_words,
    tokenize,
)
from revtrack.exceptions import InvalidRevisionError

# Pieces that stress the splitters: astral characters, an emoji ZWJ
# sequence, combining marks, every line ending, CJK and Thai.
_PIECES = [
    "a",
    "word",
    "Über",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    ".",
    ". ",
    "?",
    "!",
    ",",
    "e\u0301",
    "\u0301",
    "\U0001f600",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0001f44d\U0001f3fd",
    "東京",
    "。",
    "ภาษาไทย",
    "\u00a0",
    "\u2019",
    "_",
    "3.5",
]
texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
)


class TestTokenize:
    """tokenize()."""

    @given(texts, st.sampled_from(GRANULARITIES))
    @settings(max_examples=300)
    def test_round_trip(self, text: str, granularity: str) -> None:
        """The tokens of any text join back into exactly that text."""
        assert text == "".join(tokenize(text, granularity))

    @given(texts, st.sampled_from(GRANULARITIES))
    @settings(max_examples=200)
    def test_no_empty_tokens(self, text: str, granularity: str) -> None:
        """No splitter returns an empty token."""
        assert [] == [t for t in tokenize(text, granularity) if not t]

    def test_char(self) -> None:
        """Characters are code points, astral ones included."""
        assert ["a", "\U0001f600", "\r", "\n"] == tokenize(
            "a\U0001f600\r\n", "char"
        )

    def test_word(self) -> None:
        """Words, runs of spaces, line breaks and punctuation split apart."""
        expected = ["Hello", ",", "  ", "world", "!", "\r\n", "Bye", "\t"]
        assert expected == tokenize("Hello,  world!\r\nBye\t", "word")

    def test_word_keeps_marks_on_their_base(self) -> None:
        """A combining mark stays with the letter it decorates."""
        assert ["cafe\u0301", " ", "x"] == tokenize("cafe\u0301 x", "word")

    def test_word_keeps_emoji_sequences(self) -> None:
        """A ZWJ sequence and a skin-toned emoji are one token each."""
        flag = "\U0001f3f3\ufe0f\u200d\U0001f308"
        thumb = "\U0001f44d\U0001f3fd"
        assert [flag, thumb] == tokenize(flag + thumb, "word")

    def test_word_scripts_without_spaces(self) -> None:
        """CJK and Thai fall back to one character per word."""
        assert ["東", "京", "。", "ภ", "า", "ษ", "า"] == tokenize(
            "東京。ภาษา", "word"
        )

    def test_sentence(self) -> None:
        """A sentence keeps its end mark and the spaces after it."""
        expected = ["One. ", "Two? ", "3.5 is fine!", "\n", "終わり。", "次"]
        assert expected == tokenize(
            "One. Two? 3.5 is fine!\n終わり。次", "sentence"
        )

    def test_line(self) -> None:
        """Lines keep their endings: LF, CRLF or a lone CR."""
        assert ["a\n", "b\r\n", "c\r", "d"] == tokenize("a\nb\r\nc\rd", "line")

    def test_paragraph(self) -> None:
        """A paragraph keeps its lines and the blank lines after it."""
        expected = ["\n", "One\ntwo\n\n\n", "Three\n"]
        assert expected == tokenize("\nOne\ntwo\n\n\nThree\n", "paragraph")

    def test_empty(self) -> None:
        """The empty text has no tokens at any granularity."""
        assert [[]] * len(GRANULARITIES) == [
            tokenize("", g) for g in GRANULARITIES
        ]

    def test_unknown_granularity(self) -> None:
        """An unknown granularity is refused, naming it and the choices."""
        with pytest.raises(InvalidRevisionError) as info:
            tokenize("text", "letter")
        assert "'letter'" in str(info.value)
        assert "paragraph" in str(info.value)


# The sentence rule as a plain lazy scan: the shortest run of at least one
# character up to a place where a sentence may end.
_LAZY_SENTENCE = re.compile(
    f"{_BREAK}"
    r"|[^\r\n]+?"
    f"(?:{_SENTENCE_END}(?:[^\\S\\r\\n]+|(?=[\\r\\n])|\\Z)"
    f"|{_CJK_SENTENCE_END}[^\\S\\r\\n]*"
    r"|(?=[\r\n])|\Z)"
)
_SENTENCE_PIECES = [
    "a",
    "3.5",
    " ",
    "\t",
    "\n",
    "\r",
    ".",
    "...",
    "?!",
    '"',
    ")",
    "\u201d",
    "\u00bb",
    "\u3002",
    "\uff01",
    "\u300d",
    "東",
]


# Characters on both sides of the plain-text check: ASCII, Latin-1 and
# spacing modifiers, the first combining mark, general punctuation around
# the zero-width joiner, a combining mark for symbols, scripts written
# without spaces, an emoji with a skin tone, line breaks.
_WORD_PIECES = [
    "ab",
    "_",
    "9",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    ",",
    "\u00e9",
    "\u00a0",
    "\u02ff",
    "\u0300",
    "\u0301",
    "\u2019",
    "\u2014",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u206f",
    "\u2070",
    "\u20d0",
    "\u0e01",
    "\u6771",
    "\U0001f44d",
    "\U0001f3fd",
]


class TestPlainWords:
    """The simpler word pattern used for text without marks or CJK."""

    @given(st.lists(st.sampled_from(_WORD_PIECES), max_size=30).map("".join))
    @settings(max_examples=500)
    def test_same_tokens_as_the_full_pattern(self, text: str) -> None:
        """Whichever pattern splits a text, the tokens are the same."""
        assert tokenize(text) == _pattern("word").findall(text)

    def test_text_with_marks_keeps_them_on_their_base(self) -> None:
        """A mark outside the plain range is still joined to its letter."""
        assert tokenize("cafe\u0301 \u2019x\u2019") == [
            "cafe\u0301",
            " ",
            "\u2019",
            "x",
            "\u2019",
        ]


class TestLines:
    """Lines split by str.splitlines where it agrees with the pattern."""

    @given(
        st.lists(
            st.sampled_from(
                [
                    *("ab", " ", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c"),
                    *("\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x1f"),
                ]
            ),
            max_size=30,
        ).map("".join)
    )
    @settings(max_examples=500)
    def test_same_lines_as_the_pattern(self, text: str) -> None:
        """Only CR, LF and CR LF end a line, whichever way it is split."""
        assert _pattern("line").findall(text) == tokenize(text, "line")

    def test_other_breaks_stay_inside_lines(self) -> None:
        """A form feed or a line separator is text, not a line break."""
        assert ["a\x0cb\u2028c\n", "d"] == tokenize("a\x0cb\u2028c\nd", "line")


class TestSentencePattern:
    """The sentence splitter's pattern."""

    @given(
        st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=30).map("".join)
    )
    @settings(max_examples=300)
    def test_same_as_lazy_scan(self, text: str) -> None:
        """Sentences end where the plain lazy scan of the rule ends them."""
        expected = _LAZY_SENTENCE.findall(text)
        assert expected == tokenize(text, "sentence")


class TestCountWords:
    """count_words()."""

    def test_counts_words_not_spaces_or_punctuation(self) -> None:
        """Words count once each; spaces and punctuation do not count."""
        assert 3 == count_words("Hello, dear  world!")

    def test_cjk_characters_are_words(self) -> None:
        """Each CJK character counts as a word."""
        assert 3 == count_words("東京 a")

    @given(texts)
    @settings(max_examples=100)
    def test_at_most_tokens(self, text: str) -> None:
        """There are never more words than word tokens."""
        assert count_words(text) <= len(tokenize(text, "word"))
