"""Run every code example in README.md, docs/ and docstrings as a test."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers import myst, rest

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

_markdown = Sybil(
    parsers=[
        myst.DocTestDirectiveParser(optionflags=_FLAGS),
        myst.PythonCodeBlockParser(doctest_optionflags=_FLAGS),
        myst.SkipParser(),
    ],
    patterns=["README.md", "docs/*.md", "docs/**/*.md"],
    excludes=["docs/_build/**"],
)

_docstrings = Sybil(
    parsers=[rest.DocTestParser(optionflags=_FLAGS)],
    patterns=["src/revtrack/*.py"],
)

pytest_collect_file = (_markdown + _docstrings).pytest()
