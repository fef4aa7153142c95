"""Sphinx configuration for the revtrack documentation."""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

# Local extensions: the CLI reference is generated from the commands.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "revtrack"
author = "The revtrack authors"
copyright = "2026, The revtrack authors"
release = _version("revtrack")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "revtrack_cli_docs",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "revtrack"
html_static_path = ["_static"]

nitpicky = True
nitpick_ignore_regex = [
    # pendulum and attrs do not publish Sphinx inventories we can reach
    ("py:class", r"pendulum\..*"),
    ("py:class", r"attrs?\..*"),
    # The standard library's inventory would need the network at build time.
    (
        "py:class",
        r"(datetime|collections\.abc|typing|pathlib|os|sqlite3|types|re)\..*",
    ),
]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# No network at build time: intersphinx is not fetched.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
