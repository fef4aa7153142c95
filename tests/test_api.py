"""The public API: what `revtrack` exports, and that it is documented."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import revtrack

DOCS = Path(__file__).resolve().parents[1] / "docs"
API_PAGE = DOCS / "api.md"


class TestAll:
    """`revtrack.__all__`."""

    def test_sorted(self) -> None:
        """__all__ is sorted, so additions land in one obvious place."""
        assert sorted(revtrack.__all__) == revtrack.__all__

    def test_complete(self) -> None:
        """Every lazily loaded public name is listed in __all__, and back."""
        assert {*revtrack._MODULES, "exceptions"} == set(revtrack.__all__)
        assert set(revtrack.__all__) <= set(dir(revtrack))

    def test_names_resolve(self) -> None:
        """Each listed name resolves to an object from its own module."""
        for name in revtrack.__all__:
            value = getattr(revtrack, name)
            home = getattr(value, "__module__", None) or value.__name__
            assert home.startswith("revtrack"), name

    def test_unknown_name(self) -> None:
        """A missing name is an AttributeError naming it."""
        with pytest.raises(AttributeError, match="no_such_thing"):
            _ = revtrack.no_such_thing

    def test_import_is_light(self) -> None:
        """Importing revtrack loads none of the heavy dependencies."""
        code = (
            "import sys, revtrack; "
            "print(sorted(m for m in ('pendulum', 'attrs', "
            "'diff_match_patch') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "[]\n" == out

    def test_documented(self) -> None:
        """Every public class and function has a docstring with an example."""
        missing = [
            name
            for name in revtrack.__all__
            if ">>>" not in (inspect.getdoc(getattr(revtrack, name)) or "")
        ]
        assert missing == []


class TestReference:
    """The API reference page, `docs/api.md`."""

    def test_lists_every_public_name(self) -> None:
        """Each name in __all__ is an autodoc target there, and no other."""
        page = API_PAGE.read_text(encoding="utf-8")
        documented = set(
            re.findall(r"^\.\. auto\w+:: revtrack\.(\w+)", page, re.MULTILINE)
        )
        assert set(revtrack.__all__) == documented

    def test_errors_page_shows_the_tree(self) -> None:
        """The errors page shows the tree of the exceptions docstring."""
        doc = inspect.getdoc(revtrack.exceptions) or ""
        tree = doc.split("::\n", 1)[1].split("\n>>>", 1)[0]
        page = (DOCS / "errors.md").read_text(encoding="utf-8")
        assert "InconsistencyWarning" in tree
        assert textwrap.dedent(tree).strip() in page
