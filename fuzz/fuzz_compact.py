"""Fuzz loads on the compact form: xz-compressed JSON with text deltas."""

from __future__ import annotations

import contextlib
import lzma

from revtrack._formats import Limits, dumps, loads
from revtrack.exceptions import RevtrackError

from . import check, sample_document

LIMITS = Limits(max_size=1 << 20)
_XZ_MAGIC = b"\xfd7zXZ\x00"


def target(data: bytes) -> None:
    """
    Read the bytes as a compact history.

    Bytes that start as xz data go to the decompressor as they are; other
    bytes are the JSON inside, compressed here, so that mutations reach the
    deltas rather than dying in the decompressor.
    """
    if not data.startswith(_XZ_MAGIC):
        data = lzma.compress(data, format=lzma.FORMAT_XZ, preset=0)
    with contextlib.suppress(RevtrackError):
        doc = loads(data, limits=LIMITS)
        again = loads(dumps(doc, compact=True))
        check(again == doc, f"{doc!r} came back as {again!r}")


def seeds() -> list[bytes]:
    """Return a compact history as xz bytes and as the JSON inside."""
    doc = sample_document()
    for number in range(4, 9):
        doc.update(
            f"{doc.latest.text}\n{number}",
            at=f"2019-08-0{number}T00:00Z",
            note=f"Added line {number}.",
        )
    packed = dumps(doc, compact=True)
    return [packed, lzma.decompress(packed), packed[: len(packed) // 2]]
