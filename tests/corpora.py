"""Read bounded samples of consecutive revisions from ../shared/corpora."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

import pytest

#: The outside corpora folder, beside the repository.
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

NAMES = (
    "github-privacy-statement",
    "github-terms-of-service",
    "de-btmg",
    "whatwg-url",
    "awesome-readme",
    "art-of-command-line-zh",
)


def _lines(name: str) -> list[str]:
    plain = CORPORA / f"{name}.jsonl"
    if plain.exists():
        return plain.read_text(encoding="utf-8").splitlines()
    packed = CORPORA / f"{name}.jsonl.gz"
    with gzip.open(packed, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def pairs(name: str, count: int) -> list[tuple[str, str]]:
    """
    Return *count* evenly spaced consecutive (old, new) revision pairs.

    Skips the test when the corpora folder is absent.
    """
    if not CORPORA.is_dir():
        pytest.skip(f"no corpora at {CORPORA}")
    return list(_pairs(name, count))


@functools.cache
def _pairs(name: str, count: int) -> tuple[tuple[str, str], ...]:
    lines = _lines(name)
    last = len(lines) - 2
    starts = sorted(
        {round(i * last / max(count - 1, 1)) for i in range(count)}
    )
    return tuple(
        (json.loads(lines[i])["text"], json.loads(lines[i + 1])["text"])
        for i in starts
    )
