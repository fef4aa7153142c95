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
from ._govuk import check_govuk_content_item
from ._history import Change, parse_history_text
from ._model import Document, Revision, Revisions, UpdateType
from ._time import format_timestamp, parse_timestamp

__all__ = [
    "Change",
    "Diff",
    "DiffStats",
    "Document",
    "Edit",
    "Move",
    "Op",
    "Revision",
    "Revisions",
    "UpdateType",
    "check_govuk_content_item",
    "diff",
    "exceptions",
    "format_timestamp",
    "parse_history_text",
    "parse_timestamp",
]
