"""
Fuzz targets for every revtrack parser, and the runner behind ``make fuzz``.

Each ``fuzz_<name>`` module holds one target, ``target(data: bytes)``, that
turns the bytes into the parser's input and calls it, letting through only
the errors the parser documents (a
:class:`~revtrack.exceptions.RevtrackError`); anything else escaping is a
finding. Where a parser writes what it reads back, the target checks the
round trip too. ``seeds()`` gives starting inputs made from revtrack's own
output. The targets are plain functions: the tests replay the seeds and the
regressions through them, and ``python -m fuzz`` runs them under atheris.

Maintainer's notes: bytes become text with ``surrogateescape``, so every
byte string is some text, and bytes that are not UTF-8 arrive as lone
surrogates, which a Python ``str`` may hold and the parsers must refuse or
carry. Inputs with several parts (an old text and a delta) are split at
NUL characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revtrack import Document

__all__ = ["as_text", "check", "fields", "sample_document", "sample_texts"]

#: The shared seed text, beside the repository, when it is there.
_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def as_text(data: bytes) -> str:
    """Decode *data* as UTF-8, undecodable bytes becoming lone surrogates."""
    return data.decode("utf-8", "surrogateescape")


def fields(data: bytes, count: int) -> list[str]:
    """Split *data*'s text at NUL into exactly *count* parts, padding."""
    parts = as_text(data).split("\x00", count - 1)
    return parts + [""] * (count - len(parts))


def check(condition: bool, message: str) -> None:  # noqa: FBT001
    """Raise AssertionError (a finding) unless *condition* holds."""
    if not condition:
        raise AssertionError(message)


def sample_texts() -> tuple[str, str, str]:
    """Return three successive versions of a short press release."""
    first = (
        "Attorneys General lead international cooperation\n\n"
        "At a meeting held in London, the Quintet signed a statement.\n"
        "It supports the Budapest Convention.\n"
    )
    for path in sorted(_SEED.glob("*.txt")) if _SEED.is_dir() else ():
        first = path.read_text(encoding="utf-8")[:1500]
        break
    second = first.replace("London", "London (UK)", 1) + "Read more.\n"
    third = "# Title\n\n" + second.replace("statement", "joint statement")
    return first, second, third


def sample_document() -> Document:
    """Return a document of the three sample texts, with zones and meta."""
    from revtrack import Document  # noqa: PLC0415 (imported when needed)

    first, second, third = sample_texts()
    doc = Document("quintet", "Attorneys General", url="/quintet")
    doc.publish(first, at="2019-07-31T10:30", tz="Europe/London")
    doc.update(
        second,
        at="2019-08-01T09:15+01:00",
        note="Added link to Quintet communiqu\u00e9.",
        author="GOV.UK",
        meta={"source": {"commit": "abc", "tags": [1, 2.5, True, None]}},
    )
    doc.update(third, at="2019-08-01T18:00Z", minor=True)
    return doc
