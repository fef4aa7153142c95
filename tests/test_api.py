"""The public API: what `revtrack` exports, and that it is documented."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import revtrack


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
