"""The public API: what `revtrack` exports, and that it is documented."""

from __future__ import annotations

import inspect

import revtrack


class TestAll:
    """`revtrack.__all__`."""

    def test_sorted(self) -> None:
        """__all__ is sorted, so additions land in one obvious place."""
        assert sorted(revtrack.__all__) == revtrack.__all__

    def test_complete(self) -> None:
        """Every public name defined in the package is listed in __all__."""
        public = {
            name
            for name, value in vars(revtrack).items()
            if not name.startswith("_")
            and (
                inspect.isclass(value)
                or inspect.isfunction(value)
                or inspect.ismodule(value)
            )
        }
        assert public == set(revtrack.__all__)

    def test_documented(self) -> None:
        """Every public class and function has a docstring with an example."""
        missing = [
            name
            for name in revtrack.__all__
            if ">>>" not in (inspect.getdoc(getattr(revtrack, name)) or "")
        ]
        assert missing == []
