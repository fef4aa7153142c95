"""Fuzz html_to_text and extract_links on any page or text."""

from __future__ import annotations

import contextlib

from revtrack._html import extract_links, html_to_text
from revtrack.exceptions import RevtrackError

from . import as_text, check

BASE = "https://www.gov.uk/government/news/"


def target(data: bytes) -> None:
    """Convert the bytes and their text; find the links in both."""
    text = as_text(data)
    with contextlib.suppress(RevtrackError):
        plain = html_to_text(data, base_url=BASE)
        check(plain == "" or plain.endswith("\n"), f"{plain!r} lacks a \\n")
        extract_links(plain)
    with contextlib.suppress(RevtrackError):
        html_to_text(text)
        extract_links(text)


def seeds() -> list[bytes]:
    """Return a small page and a Markdown text with links."""
    page = (
        b"<html><head><title>T</title><script>x()</script></head><body>"
        b"<h1>Quintet</h1><p>Read the <a href='/c'>communiqu&eacute;</a>."
        b"</p><ul><li>a<li>b</ul><ol><li>x</ol><pre> y\n  z</pre>"
        b"<div hidden>no</div><p style='display: none'>no</p>"
        b"<table><tr><td>1<td>2</table></body></html>"
    )
    markdown = (
        b'See [the *Quintet*](/q "t") or <a href=/c>the <b>list</b></a>, '
        b"![image](/i.png) and [x](<a (b) c>)."
    )
    return [page, markdown]
