"""
revtrack: documents as timestamped revision chains.

Build a document's history, diff any two of its revisions, and store,
serialise and explain the changes.

>>> import revtrack
>>> revtrack.diff("the cat sat", "the dog sat").changed
True

Maintainer's notes: the public names load on first use (PEP 562), so that
``import revtrack`` and ``revtrack --help`` do not pay for pendulum, attrs
and diff_match_patch until a name that needs them is touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import exceptions

if TYPE_CHECKING:
    from ._blame import BlameSpan, blame
    from ._classify import (
        Finding,
        Label,
        LabelKind,
        LinkChange,
        Span,
        Suggestion,
        audit,
        classify,
        links_diff,
        suggest_update,
    )
    from ._compact import ChainPolicy
    from ._diff import Diff, DiffStats, Edit, Move, Op, diff
    from ._diffjson import dumps_diff, loads_diff
    from ._formats import (
        Limits,
        dump,
        dumps,
        load,
        loads,
        read_jsonl,
        write_jsonl,
    )
    from ._govuk import check_govuk_content_item
    from ._history import Change, parse_history_text
    from ._html import Link, extract_links, html_to_text
    from ._importers import (
        import_git,
        import_govuk,
        import_jsonl,
        import_snapshots,
    )
    from ._model import Document, Revision, Revisions, UpdateType
    from ._patch import (
        ApplyResult,
        Hunk,
        HunkResult,
        Patch,
        format_delta,
        make_patch,
        parse_delta,
    )
    from ._render import render_html, render_markdown, render_terminal
    from ._store import SQLiteStore, Store
    from ._time import format_timestamp, parse_timestamp
    from ._unified import UnifiedDiff, UnifiedHunk, unified_diff

#: Where each public name lives.
_MODULES = {
    "ApplyResult": "_patch",
    "BlameSpan": "_blame",
    "ChainPolicy": "_compact",
    "Change": "_history",
    "Diff": "_diff",
    "DiffStats": "_diff",
    "Document": "_model",
    "Edit": "_diff",
    "Finding": "_classify",
    "Hunk": "_patch",
    "HunkResult": "_patch",
    "Label": "_classify",
    "LabelKind": "_classify",
    "Limits": "_formats",
    "Link": "_html",
    "LinkChange": "_classify",
    "Move": "_diff",
    "Op": "_diff",
    "Patch": "_patch",
    "Revision": "_model",
    "Revisions": "_model",
    "SQLiteStore": "_store",
    "Span": "_classify",
    "Store": "_store",
    "Suggestion": "_classify",
    "UnifiedDiff": "_unified",
    "UnifiedHunk": "_unified",
    "UpdateType": "_model",
    "audit": "_classify",
    "blame": "_blame",
    "check_govuk_content_item": "_govuk",
    "classify": "_classify",
    "diff": "_diff",
    "dump": "_formats",
    "dumps": "_formats",
    "dumps_diff": "_diffjson",
    "extract_links": "_html",
    "format_delta": "_patch",
    "format_timestamp": "_time",
    "html_to_text": "_html",
    "import_git": "_importers",
    "import_govuk": "_importers",
    "import_jsonl": "_importers",
    "import_snapshots": "_importers",
    "links_diff": "_classify",
    "load": "_formats",
    "loads": "_formats",
    "loads_diff": "_diffjson",
    "make_patch": "_patch",
    "parse_delta": "_patch",
    "parse_history_text": "_history",
    "parse_timestamp": "_time",
    "read_jsonl": "_formats",
    "render_html": "_render",
    "render_markdown": "_render",
    "render_terminal": "_render",
    "suggest_update": "_classify",
    "unified_diff": "_unified",
    "write_jsonl": "_formats",
}

__all__ = [
    "ApplyResult",
    "BlameSpan",
    "ChainPolicy",
    "Change",
    "Diff",
    "DiffStats",
    "Document",
    "Edit",
    "Finding",
    "Hunk",
    "HunkResult",
    "Label",
    "LabelKind",
    "Limits",
    "Link",
    "LinkChange",
    "Move",
    "Op",
    "Patch",
    "Revision",
    "Revisions",
    "SQLiteStore",
    "Span",
    "Store",
    "Suggestion",
    "UnifiedDiff",
    "UnifiedHunk",
    "UpdateType",
    "audit",
    "blame",
    "check_govuk_content_item",
    "classify",
    "diff",
    "dump",
    "dumps",
    "dumps_diff",
    "exceptions",
    "extract_links",
    "format_delta",
    "format_timestamp",
    "html_to_text",
    "import_git",
    "import_govuk",
    "import_jsonl",
    "import_snapshots",
    "links_diff",
    "load",
    "loads",
    "loads_diff",
    "make_patch",
    "parse_delta",
    "parse_history_text",
    "parse_timestamp",
    "read_jsonl",
    "render_html",
    "render_markdown",
    "render_terminal",
    "suggest_update",
    "unified_diff",
    "write_jsonl",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401
    try:
        module = _MODULES[name]
    except KeyError:
        msg = f"module 'revtrack' has no attribute {name!r}"
        raise AttributeError(msg) from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
