"""
Fuzz the command line's revision shorthands (``--rev``, ``show REV``).

Numbers, negative indexes, digest prefixes and ``@<time>``: the command
line reads them with ``_cli._revision``. Its contract differs from the
library's in one way: a failed lookup is a :class:`click.ClickException`
(shown as one line, with an exit code), whose cause is the
:class:`~revtrack.exceptions.RevtrackError`; and a reference that looks
like an option is a :class:`click.UsageError`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import click

from revtrack._cli import _revision
from revtrack.exceptions import RevtrackError

from . import as_text, check, sample_document

if TYPE_CHECKING:
    from revtrack._model import Document


@functools.cache
def _document() -> Document:
    return sample_document()


def target(data: bytes) -> None:
    """Look the text up as a revision of the sample document."""
    ref = as_text(data)
    try:
        _revision(_document(), ref, "history.json")
    except click.UsageError:
        check(ref.startswith("--"), f"{ref!r} is not an option")
    except click.ClickException as exc:
        cause = exc.__cause__
        check(
            isinstance(cause, RevtrackError),
            f"{ref!r} failed with {exc!r}, caused by {cause!r}",
        )


def seeds() -> list[bytes]:
    """Return each kind of reference the command line accepts."""
    doc = _document()
    return [
        b"1",
        b"-1",
        b"0003",
        doc.latest.digest[:6].encode(),
        doc.revisions[0].chain_digest[:10].upper().encode(),
        b"@2019-08-01",
        b"@2019-08-01T12:00+01:00",
        b"@31 July 2019",
        b"--rev",
    ]
