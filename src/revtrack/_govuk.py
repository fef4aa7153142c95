"""
Reading GOV.UK content items into Documents.

A content item (the JSON the GOV.UK Content API serves for a page) carries
the page's public history: ``first_published_at``, ``public_updated_at`` and
``details.change_history``, a list of ``{"public_timestamp", "note"}``
entries in no promised order and with mixed UTC offsets. It carries the
current body only, not past texts.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._history import DISPLAY_ZONE, FIRST_PUBLISHED
from ._model import Document
from ._time import format_timestamp, parse_timestamp
from .exceptions import (
    FormatError,
    InconsistencyWarning,
    InvalidRevisionError,
)

if TYPE_CHECKING:
    import pendulum

__all__ = ["check_govuk_content_item", "document_from_content_item"]

GOVUK = "https://www.gov.uk"
_UNKNOWN = {"govuk": {"text": "unknown"}}


def _field(item: Mapping[str, Any], path: str, kind: type) -> Any:  # noqa: ANN401
    value: Any = item
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            msg = f"expected a content item with {path!r}, but it is missing"
            raise FormatError(msg)
        value = value[part]
    if not isinstance(value, kind):
        msg = (
            f"expected {path!r} to be a {kind.__name__}, got "
            f"{type(value).__name__}: {value!r}"[:200]
        )
        raise FormatError(msg)
    return value


def _time(text: str, path: str) -> pendulum.DateTime:
    try:
        return parse_timestamp(text, tz=DISPLAY_ZONE)
    except FormatError as exc:
        msg = f"{path}: {exc}"
        raise FormatError(msg) from exc


def _read(
    item: object,
) -> tuple[Mapping[str, Any], list[tuple[pendulum.DateTime, str]], list[str]]:
    """Return the item, its changes sorted oldest first, and problems."""
    if not isinstance(item, Mapping):
        kind = type(item).__name__
        msg = f"expected a content item (a JSON object), got {kind}"
        raise FormatError(msg)
    _field(item, "title", str)
    _field(item, "base_path", str)
    first = _time(
        _field(item, "first_published_at", str), "first_published_at"
    )
    details = item.get("details", {})
    if not isinstance(details, Mapping):
        msg = f"expected 'details' to be an object, got {details!r}"[:200]
        raise FormatError(msg)
    history = details.get("change_history", [])
    if not isinstance(history, Sequence) or isinstance(history, str):
        msg = "expected 'details.change_history' to be a list"
        raise FormatError(msg)
    changes = []
    for index, entry in enumerate(history):
        path = f"details.change_history[{index}]"
        if not isinstance(entry, Mapping):
            msg = f"expected {path} to be an object, got {entry!r}"[:200]
            raise FormatError(msg)
        when = _time(_field(entry, "public_timestamp", str), path)
        note = _field(entry, "note", str)
        if not note.strip():
            msg = f"expected {path}.note to say what changed, got {note!r}"
            raise FormatError(msg)
        changes.append((when, note))
    # Sort by instant; Python's sort is stable, so ties keep their order.
    changes.sort(key=lambda change: change[0].timestamp())
    problems = []
    if not changes or changes[0][0].timestamp() != first.timestamp():
        problems.append(
            f"first_published_at {format_timestamp(first)} has no entry in "
            f"the change history; added one with the note "
            f"{FIRST_PUBLISHED!r}"
        )
        changes = [
            *(c for c in changes if c[0].timestamp() < first.timestamp()),
            (first, FIRST_PUBLISHED),
            *(c for c in changes if c[0].timestamp() >= first.timestamp()),
        ]
    early = [c for c in changes if c[0].timestamp() < first.timestamp()]
    if early:
        problems.append(
            f"{len(early)} change note(s) are older than first_published_at "
            f"{format_timestamp(first)}, the oldest at "
            f"{format_timestamp(early[0][0])}"
        )
    updated_text = item.get("public_updated_at")
    if isinstance(updated_text, str):
        updated = _time(updated_text, "public_updated_at")
        newest = changes[-1][0]
        if updated.timestamp() != newest.timestamp():
            problems.append(
                f"public_updated_at {format_timestamp(updated)} does not "
                f"match the newest change note, at "
                f"{format_timestamp(newest)}"
            )
    return item, changes, problems


def check_govuk_content_item(item: Mapping[str, Any]) -> tuple[str, ...]:
    """
    List the ways a content item's public history disagrees with itself.

    >>> check_govuk_content_item({
    ...     "title": "T", "base_path": "/t",
    ...     "first_published_at": "2019-07-31T10:30:00+01:00",
    ...     "public_updated_at": "2019-08-02T09:00:00+01:00",
    ...     "details": {"change_history": [{
    ...         "public_timestamp": "2019-07-31T10:30:00+01:00",
    ...         "note": "First published."}]}})
    ... # doctest: +NORMALIZE_WHITESPACE
    ('public_updated_at 2019-08-02T09:00:00+01:00 does not match the
      newest change note, at 2019-07-31T10:30:00+01:00',)

    Raises:
        FormatError: If *item* lacks a field the history needs or a field
            has the wrong type.

    .. versionadded:: 0.1.0
    """
    return tuple(_read(item)[2])


def _body(value: object) -> str:
    """Return the HTML body, which may come as a list of content types."""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        for part in value:
            if (
                isinstance(part, Mapping)
                and part.get("content_type") == "text/html"
                and isinstance(part.get("content"), str)
            ):
                return str(part["content"])
    return ""


def document_from_content_item(item: Mapping[str, Any]) -> Document:
    """Build a Document, as :meth:`Document.from_govuk_content_item` does."""
    item, changes, problems = _read(item)
    for problem in problems:
        warnings.warn(problem, InconsistencyWarning, stacklevel=3)
    try:
        base_path = item["base_path"]
        content_id = item.get("content_id")
        doc = Document(
            content_id
            if isinstance(content_id, str) and content_id
            else base_path,
            item["title"],
            url=GOVUK + base_path if base_path.startswith("/") else base_path,
            allow_backwards=False,
        )
        body = _body(item.get("details", {}).get("body"))
        for index, (when, note) in enumerate(changes):
            last = index == len(changes) - 1
            text, meta = (body, None) if last else ("", _UNKNOWN)
            if index == 0:
                doc.publish(text, at=when, note=note, meta=meta)
            else:
                doc.update(text, at=when, note=note, meta=meta)
    except InvalidRevisionError as exc:
        msg = f"the content item cannot be a document: {exc}"
        raise FormatError(msg) from exc
    return doc
