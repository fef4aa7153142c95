"""
revtrack: documents as timestamped revision chains.

Build a document's history, diff any two of its revisions, and store,
serialise and explain the changes.

>>> import revtrack
>>> revtrack.diff("the cat sat", "the dog sat").changed
True
"""

from __future__ import annotations

from . import exceptions
from ._diff import Diff, DiffStats, Edit, Move, Op, diff

__all__ = [
    "Diff",
    "DiffStats",
    "Edit",
    "Move",
    "Op",
    "diff",
    "exceptions",
]
