"""
The documentation site and revtrack's HTML, checked as a reader gets them.

A static pass checks every internal link of the built site. The browser
pass (headless Chromium through Playwright) loads the home page, the API
reference and HTML diff pages, and fails on console errors, on any request
to another host, and if a <script> inside a document's text runs.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

import revtrack

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Dialog

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = (
    "Intro.\n\n<script>window.__rt_pwned = true; alert(1)</script>\n\n"
    '<img src="https://example.invalid/x.png" '
    'onerror="window.__rt_pwned = true">\n'
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the docs, warnings as errors, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html"),
            *(str(ROOT / "docs"), str(out)),
        ],
        check=True,
        timeout=600,
    )
    pages = out / "_pages"
    pages.mkdir()
    old = "Intro.\n\nThe Quintet met in London.\n"
    diff = revtrack.diff(old, old.replace("London", "Paris") + HOSTILE)
    (pages / "hostile-diff.html").write_text(
        revtrack.render_html(diff, standalone=True, title="<b>x</b>"),
        encoding="utf-8",
    )
    (pages / "hostile-side.html").write_text(
        revtrack.render_html(diff, style="side-by-side", standalone=True),
        encoding="utf-8",
    )
    # The pages examples/render_diff.py writes, as a reader would get them.
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "render_diff.py")],
        cwd=pages,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links(site: Path) -> None:
    """Every internal link leads to a page and an anchor that exist."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for href in _parse(page).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target_path, fragment = urldefrag(href)
            target = (
                (page.parent / unquote(target_path)).resolve()
                if target_path
                else page
            )
            if target.is_dir():
                target /= "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif (
                fragment
                and target.suffix == ".html"
                and unquote(fragment) not in _parse(target).ids
            ):
                broken.append(f"{page.relative_to(site)}: {href} (no anchor)")
    assert [] == broken


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the built site on a loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium, or a skip when none is installed."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (see .ci/run)")
        pytest.skip("Chromium is not installed (CI installs it)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


PAGES = [
    "index.html",
    "api.html",
    "_pages/hostile-diff.html",
    "_pages/hostile-side.html",
    "_pages/quintet-inline.html",
    "_pages/quintet-side-by-side.html",
]


def _visit(
    browser: object, server: str, path: str
) -> tuple[list[str], list[str], list[str], bool]:
    """Load *path*; return console errors, foreign requests, dialogs, pwned."""
    from playwright.sync_api import Browser, Route  # noqa: PLC0415

    assert isinstance(browser, Browser)
    errors: list[str] = []
    foreign: list[str] = []
    dialogs: list[str] = []

    def route(route: Route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context = browser.new_context()
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "console",
            lambda m: errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", functools.partial(_dismiss, dialogs))
        response = page.goto(f"{server}/{path}", wait_until="load")
        assert response is not None
        assert 200 == response.status
        pwned = bool(page.evaluate("() => window.__rt_pwned === true"))
        if os.environ.get("REVTRACK_SCREENSHOTS") and path.startswith("_"):
            shot = Path(path).with_suffix(".png").name
            page.screenshot(
                path=str(ROOT / "docs" / "_static" / shot), full_page=True
            )
    finally:
        context.close()
    return errors, foreign, dialogs, pwned


def _dismiss(seen: list[str], dialog: Dialog) -> None:
    seen.append(dialog.message)
    dialog.dismiss()


@pytest.mark.parametrize("path", PAGES)
def test_page_in_browser(browser: object, server: str, path: str) -> None:
    """The page loads with no console errors and no request off this host."""
    assert ([], [], [], False) == _visit(browser, server, path)


def test_check_catches_unsafe_page(
    browser: object, server: str, site: Path
) -> None:
    """A page that lets a document's script run fails every check."""
    (site / "_pages" / "unsafe.html").write_text(
        "<!doctype html><title>unsafe</title>" + HOSTILE, encoding="utf-8"
    )
    errors, foreign, dialogs, pwned = _visit(
        browser, server, "_pages/unsafe.html"
    )
    assert pwned
    assert ["1"] == dialogs
    assert ["https://example.invalid/x.png"] == foreign
    assert errors
