"""
JSON for diffs and patches: a versioned, documented schema.

Maintainer's notes: the readers here walk the decoded JSON by hand rather
than through ``jsonschema`` so that every error names the JSON path of the
problem (``$.edits[3].op``) and the library keeps no runtime dependency for
it; ``docs/schemas/*.schema.json`` states the same rules and the tests check
that both agree.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, NoReturn

from ._diff import Diff, Edit, Move, Op
from .exceptions import FormatError, PatchFormatError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["dumps_diff", "loads_diff"]

DIFF_FORMAT = "revtrack.diff"
PATCH_FORMAT = "revtrack.patch"
VERSION = 1

_OPS = {op.value: op for op in Op}
# Diffs fail with FormatError, patches with PatchFormatError.
_Error = type[FormatError | PatchFormatError]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fail(error: _Error, path: str, message: str) -> NoReturn:
    msg = f"at {path}: {message}"
    raise error(msg)


def _reject_constant(name: str) -> NoReturn:
    msg = f"{name} is not a JSON number; write a finite number"
    raise ValueError(msg)


def load_document(
    text: str, *, format_name: str, error: _Error
) -> dict[str, Any]:
    """Decode *text* as JSON and check its ``format`` and ``version``."""
    if not isinstance(text, str | bytes | bytearray):
        msg = f"expected JSON text as str, got {type(text).__name__}"
        raise error(msg)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = (
            f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            f" (offset {exc.pos})"
        )
        raise error(msg) from exc
    except (ValueError, RecursionError) as exc:
        msg = f"not readable JSON: {exc}"
        raise error(msg) from exc
    if not isinstance(value, dict):
        _fail(error, "$", f"expected an object, got {_kind(value)}")
    fmt = value.get("format")
    if fmt != format_name:
        _fail(error, "$.format", f"expected {format_name!r}, got {fmt!r}")
    version = value.get("version")
    if not _is_int(version):
        _fail(error, "$.version", f"expected an integer, got {version!r}")
    if version != VERSION:
        _fail(
            error,
            "$.version",
            f"version {version!r} is not supported; this revtrack reads"
            f" version {VERSION} (upgrade revtrack to read newer files)",
        )
    return value


def _kind(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_keys(
    obj: Mapping[str, Any],
    path: str,
    *,
    required: frozenset[str],
    optional: frozenset[str] = frozenset(),
    error: _Error,
) -> None:
    """Fail unless *obj* has every required key and no unknown key."""
    for key in sorted(required - obj.keys()):
        _fail(error, path, f"missing key {key!r}")
    for key in sorted(obj.keys() - required - optional):
        _fail(error, f"{path}.{key}", "unknown key; remove it")


def read_object(value: object, path: str, error: _Error) -> dict[str, Any]:
    """Return *value* if it is a JSON object."""
    if not isinstance(value, dict):
        _fail(error, path, f"expected an object, got {_kind(value)}")
    return value


def read_list(value: object, path: str, error: _Error) -> list[Any]:
    """Return *value* if it is a JSON array."""
    if not isinstance(value, list):
        _fail(error, path, f"expected an array, got {_kind(value)}")
    return value


def read_str(value: object, path: str, error: _Error) -> str:
    """Return *value* if it is a string of Unicode scalar values."""
    if not isinstance(value, str):
        _fail(error, path, f"expected a string, got {_kind(value)}")
    found = _SURROGATE.search(value)
    if found:
        _fail(
            error,
            path,
            f"lone surrogate {found.group()!r} at character {found.start()};"
            " text must be valid Unicode",
        )
    return value


def read_int(
    value: object, path: str, error: _Error, *, minimum: int = 0
) -> int:
    """Return *value* if it is an integer no smaller than *minimum*."""
    if not _is_int(value):
        _fail(error, path, f"expected an integer, got {_kind(value)}")
    number: int = value  # type: ignore[assignment]
    if number < minimum:
        _fail(error, path, f"expected an integer >= {minimum}, got {number}")
    return number


def edit_to_json(edit: Edit) -> dict[str, Any]:
    """Encode one edit as a JSON object."""
    obj: dict[str, Any] = {"op": edit.op.value, "text": edit.text}
    if edit.move is not None:
        obj["move"] = edit.move
    if edit.old is not None:
        obj["old"] = edit.old
    return obj


_EDIT_KEYS = frozenset({"op", "text"})
_EDIT_EXTRA = frozenset({"move", "old"})


def edits_from_json(
    value: object,
    path: str,
    error: _Error,
    *,
    extras: bool = True,
) -> tuple[Edit, ...]:
    """Decode an array of edit objects; *extras* allows ``move``/``old``."""
    edits = []
    for i, item in enumerate(read_list(value, path, error)):
        here = f"{path}[{i}]"
        obj = read_object(item, here, error)
        check_keys(
            obj,
            here,
            required=_EDIT_KEYS,
            optional=_EDIT_EXTRA if extras else frozenset(),
            error=error,
        )
        op = _OPS.get(obj["op"]) if isinstance(obj["op"], str) else None
        if op is None:
            _fail(
                error,
                f"{here}.op",
                f"expected one of {sorted(_OPS)}, got {obj['op']!r}",
            )
        text = read_str(obj["text"], f"{here}.text", error)
        move = obj.get("move")
        if move is not None:
            move = read_int(move, f"{here}.move", error)
        old = obj.get("old")
        if old is not None:
            old = read_str(old, f"{here}.old", error)
            if op is not Op.EQUAL:
                _fail(error, f"{here}.old", "only an equal edit has old text")
        edits.append(Edit(op, text, move=move, old=old))
    return tuple(edits)


def dumps_diff(diff: Diff, *, indent: int | None = None) -> str:
    """
    Write a diff as JSON in the ``revtrack.diff`` version 1 format.

    Args:
        diff: The diff to write.
        indent: Spaces to indent nested values by; ``None`` writes one line.

    Returns:
        JSON text that :func:`loads_diff` reads back to an equal diff.

    >>> import revtrack
    >>> revtrack.dumps_diff(revtrack.Diff((revtrack.Edit(revtrack.Op.INSERT,
    ...     "hi"),)))
    '{"format": "revtrack.diff", "version": 1, "granularity": "char", "edits":
    [{"op": "insert", "text": "hi"}], "moves": []}'

    .. versionadded:: 0.1.0
    """
    doc = {
        "format": DIFF_FORMAT,
        "version": VERSION,
        "granularity": diff.granularity,
        "edits": [edit_to_json(e) for e in diff.edits],
        "moves": [
            {
                "id": m.id,
                "source": m.source,
                "destination": m.destination,
                "edits": [edit_to_json(e) for e in m.edits],
            }
            for m in diff.moves
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=indent)


_DIFF_KEYS = frozenset({"format", "version", "granularity", "edits", "moves"})
_MOVE_KEYS = frozenset({"id", "source", "destination", "edits"})


def loads_diff(text: str) -> Diff:
    """
    Read a diff written by :func:`dumps_diff`.

    Args:
        text: JSON text in the ``revtrack.diff`` format.

    Returns:
        The diff.

    Raises:
        FormatError: If *text* is not JSON, is another format or a version
            this revtrack does not know, or breaks the schema; the message
            names the JSON path (``$.edits[3].op``) or the offset.

    >>> import revtrack
    >>> d = revtrack.diff("cat", "cut")
    >>> revtrack.loads_diff(revtrack.dumps_diff(d)) == d
    True

    .. versionadded:: 0.1.0
    """
    doc = load_document(text, format_name=DIFF_FORMAT, error=FormatError)
    check_keys(doc, "$", required=_DIFF_KEYS, error=FormatError)
    granularity = read_str(doc["granularity"], "$.granularity", FormatError)
    edits = edits_from_json(doc["edits"], "$.edits", FormatError)
    moves = []
    for i, item in enumerate(read_list(doc["moves"], "$.moves", FormatError)):
        here = f"$.moves[{i}]"
        obj = read_object(item, here, FormatError)
        check_keys(obj, here, required=_MOVE_KEYS, error=FormatError)
        move_id = read_int(obj["id"], f"{here}.id", FormatError)
        ends = {}
        for key, op in (("source", Op.DELETE), ("destination", Op.INSERT)):
            index = read_int(obj[key], f"{here}.{key}", FormatError)
            if index >= len(edits) or edits[index].op is not op:
                _fail(
                    FormatError,
                    f"{here}.{key}",
                    f"expected the index of a {op.value} edit, got {index}",
                )
            if edits[index].move != move_id:
                _fail(
                    FormatError,
                    f"{here}.{key}",
                    f"edit {index} does not carry move id {move_id}",
                )
            ends[key] = index
        inner = edits_from_json(obj["edits"], f"{here}.edits", FormatError)
        moves.append(Move(move_id, ends["source"], ends["destination"], inner))
    return Diff(edits, granularity, tuple(moves))
