"""Fuzz GOV.UK content items: Document.from_govuk_content_item and checks."""

from __future__ import annotations

import contextlib
import json
import warnings

from revtrack._govuk import check_govuk_content_item
from revtrack._model import Document
from revtrack.exceptions import InconsistencyWarning, RevtrackError

from . import as_text


def target(data: bytes) -> None:
    """Read the JSON value in the bytes as a content item."""
    try:
        item = json.loads(as_text(data))
    except (ValueError, RecursionError):
        return  # not JSON: the standard library's business, not revtrack's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistencyWarning)
        with contextlib.suppress(RevtrackError):
            check_govuk_content_item(item)
        with contextlib.suppress(RevtrackError):
            Document.from_govuk_content_item(item)


def seeds() -> list[bytes]:
    """Return content items: consistent, inconsistent, and a bare one."""
    item = {
        "title": "Attorneys General lead international cooperation",
        "base_path": "/government/news/attorneys-general",
        "content_id": "5f1c0b7e-0000-4000-8000-000000000000",
        "first_published_at": "2019-07-31T10:30:00.000+01:00",
        "public_updated_at": "2019-08-01T09:15:00.000+01:00",
        "details": {
            "body": [
                {"content_type": "text/govspeak", "content": "Hi"},
                {"content_type": "text/html", "content": "<p>Hi</p>"},
            ],
            "change_history": [
                {
                    "public_timestamp": "2019-08-01T09:15:00.000+01:00",
                    "note": "Added link to Quintet communiqu\u00e9.",
                },
                {
                    "public_timestamp": "2019-07-31T09:30:00Z",
                    "note": "First published.",
                },
            ],
        },
    }
    odd = dict(item, public_updated_at="2019-08-02", details={"body": "x"})
    bare = {"title": "T", "base_path": "t", "first_published_at": "2019-07-31"}
    return [json.dumps(value).encode() for value in (item, odd, bare)]
