r"""
Splitting text into characters, words, sentences, lines and paragraphs.

Maintainer's notes: every splitter returns tokens whose concatenation is
exactly the text it was given, whatever the text; the diff engine relies on
that to rebuild both sides of a diff. The standard ``re`` module has no
``\p{M}``, so the class of combining marks is built once from
``unicodedata`` on first use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal, get_args

from .exceptions import InvalidRevisionError

__all__ = ["GRANULARITIES", "Granularity", "count_words", "tokenize"]

Granularity = Literal["char", "word", "sentence", "line", "paragraph"]
GRANULARITIES: tuple[str, ...] = get_args(Granularity)

# Scripts written without spaces between words: a "word" there is one
# character (CJK ideographs, kana, Thai, Lao, Tibetan, Myanmar, Khmer).
_NO_SPACE = (
    "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f"
    "\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003ffff"
)
_BREAK = r"\r\n|\r|\n"
_SENTENCE_END = "[.!?]+[\"'\u2019\u201d)\\]\u00bb]*"
_CJK_SENTENCE_END = "[\u3002\uff01\uff1f]+[\u300d\u300f\u201d\u2019)\\]]*"

# Text without combining marks, zero-width joiners or characters of the
# scripts written without spaces splits into words with a simpler pattern
# (about twice as fast). Everything below U+0300, and the General
# Punctuation block but for the joiner, is such a character.
_PLAIN = re.compile("[^\x00-\u02ff\u2000-\u200c\u200e-\u206f]")
_PLAIN_WORD = re.compile(r"\w+|[^\S\r\n]+|\r\n|.", re.DOTALL)


@functools.cache
def _marks() -> str:
    """Return a character class body matching marks that join a base."""
    ranges: list[tuple[int, int]] = []
    # No marks are assigned above U+20000 except the two ranges appended.
    for cp in range(0x300, 0x20000):
        if unicodedata.category(chr(cp))[0] != "M":
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    ranges += [
        (0x1F3FB, 0x1F3FF),  # emoji skin tones
        (0xE0020, 0xE007F),  # emoji tag sequences
        (0xE0100, 0xE01EF),  # variation selectors supplement
    ]
    return "".join(
        re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "")
        for lo, hi in ranges
    )


@functools.cache
def _pattern(granularity: str) -> re.Pattern[str]:
    """Compile the splitting pattern for *granularity*."""
    marks = f"(?:[{_marks()}]|\u200d[^\\s])"
    if granularity == "word":
        letter = f"[^\\W{_NO_SPACE}]"
        # The alternatives start with disjoint characters (but for the
        # last), so the commonest, words and spaces, are tried first.
        return re.compile(
            f"{letter}+(?:{marks}+{letter}*)*"
            r"|[^\S\r\n]+"
            f"|{_BREAK}"
            f"|[{_NO_SPACE}]{marks}*"
            f"|.{marks}*",
            re.DOTALL,
        )
    if granularity == "sentence":
        # A sentence runs to the first place after its first character
        # where it may end. Runs of characters that cannot start an ending
        # are skipped whole, and an ending mark is only stepped over where
        # no ending matches: the same tokens as a lazy ``+?`` scan, but
        # without trying every ending at every character.
        end = (
            f"{_SENTENCE_END}(?:[^\\S\\r\\n]+|(?=[\\r\\n])|\\Z)"
            f"|{_CJK_SENTENCE_END}[^\\S\\r\\n]*"
            r"|(?=[\r\n])|\Z"
        )
        stops = ".!?\u3002\uff01\uff1f"
        return re.compile(
            f"{_BREAK}"
            r"|[^\r\n]"
            f"(?:[^\\r\\n{stops}]+|(?!{end})[{stops}])*"
            f"(?:{end})"
        )
    return re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


# Line breaks str.splitlines() knows besides CR and LF.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _lines(text: str) -> list[str]:
    """
    Split *text* into lines, each keeping its CR, LF or CR LF ending.

    ``str.splitlines`` does it in C, several times faster than a pattern,
    wherever the text has no other character it would break a line at.
    """
    if any(c in text for c in _OTHER_BREAKS):
        return _pattern("line").findall(text)
    return text.splitlines(keepends=True)


def _paragraphs(text: str) -> list[str]:
    """Split *text* into paragraphs, each keeping the blank lines after it."""
    tokens: list[str] = []
    current: list[str] = []
    has_text = after_text = False
    for line in _lines(text):
        blank = not line.strip()
        # A text line after blank lines starts a paragraph; blank lines
        # before the first paragraph are a token of their own.
        if current and not blank and (after_text or not has_text):
            tokens.append("".join(current))
            current = []
            has_text = False
        current.append(line)
        has_text = has_text or not blank
        after_text = blank and has_text
    if current:
        tokens.append("".join(current))
    return tokens


def tokenize(text: str, granularity: str = "word") -> list[str]:
    r"""
    Split *text* into tokens that join back into exactly *text*.

    ``char`` gives code points; ``word`` gives words, runs of spaces, line
    breaks and single punctuation marks, with combining marks kept on
    their base and scripts written without spaces (CJK, Thai) one
    character per token; ``sentence`` ends a sentence after ``.``, ``!``
    or ``?`` and the spaces that follow (or after ``。``), with line breaks
    as tokens of their own; ``line`` keeps each line's ending; and
    ``paragraph`` keeps each paragraph's trailing blank lines.

    Args:
        text: The text to split.
        granularity: ``"char"``, ``"word"``, ``"sentence"``, ``"line"`` or
            ``"paragraph"``.

    Returns:
        The tokens, in order.

    Raises:
        InvalidRevisionError: If *granularity* is not one of those above.

    >>> tokenize("Hello,  wörld!\n")
    ['Hello', ',', '  ', 'wörld', '!', '\n']
    >>> tokenize("東京は晴れ")
    ['東', '京', 'は', '晴', 'れ']
    >>> tokenize("One. Two?\nThree", "sentence")
    ['One. ', 'Two?', '\n', 'Three']

    .. versionadded:: 0.1.0
    """
    if granularity not in GRANULARITIES:
        msg = (
            f"granularity must be one of {', '.join(GRANULARITIES)}, "
            f"got {granularity!r}"
        )
        raise InvalidRevisionError(msg)
    if granularity == "char":
        return list(text)
    if granularity == "paragraph":
        return _paragraphs(text)
    if granularity == "line":
        return _lines(text)
    if granularity == "word" and (
        text.isascii() or _PLAIN.search(text) is None
    ):
        return _PLAIN_WORD.findall(text)
    return _pattern(granularity).findall(text)


_WORD = re.compile(r"[^\W_]")


def count_words(text: str) -> int:
    """
    Count the word tokens in *text* (a CJK or Thai character is a word).

    >>> count_words("Hello, wörld! 東京")
    4
    """
    return sum(
        1 for token in tokenize(text, "word") if _WORD.match(token) is not None
    )
