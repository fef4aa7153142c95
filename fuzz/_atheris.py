"""
Run one target under atheris: ``python -m fuzz._atheris NAME [ARGS...]``.

ARGS are libFuzzer's (``-max_total_time=60``, corpus folders). The runner,
``python -m fuzz``, starts this in its own process for each target.
"""

from __future__ import annotations

import importlib
import sys

import atheris


def main(argv: list[str]) -> None:
    """Instrument revtrack (and html.parser), then fuzz the named target."""
    name, *args = argv
    with atheris.instrument_imports(include=["revtrack", "html"]):
        module = importlib.import_module(f"fuzz.fuzz_{name}")
    atheris.Setup([sys.argv[0], *args], module.target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv[1:])
