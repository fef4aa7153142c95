"""Run every benchmark module, or the ones named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    """Run the main function of each `bench_*` module, or those named."""
    here = Path(__file__).parent
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(here)])
        if info.name.startswith("bench_")
    )
    wanted = {f"bench_{a.removeprefix('bench_')}" for a in argv}
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
