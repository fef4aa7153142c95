"""
Print the mutation score of each mutated module after `mutmut run`.

`make mutation` runs it. A mutant counts as *detected* when a test failed
(mutmut's "killed") or when the tests hung or crashed with it ("timeout",
"segfault"): a user would notice all three. The score of a module is
detected ÷ (every mutant mutmut made in it), so a mutant that no test runs
("no tests"), one that ran clean ("survived") and one whose result mutmut
could not read ("suspicious") all count against it. Mutants that mypy
rejects never run and are not counted; neither are lines excluded from
mutation in pyproject.toml (`do_not_mutate_patterns`) or by a
`# pragma: no mutate` comment, because mutmut makes no mutant there.
While some mutants are still unrun, the scores cover the ones that ran and
the script exits 1: only a complete run passes.

Usage: ``python tools/mutation_score.py [--fail-under PERCENT]``, from the
repository root, after ``mutmut run``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut/stats.py); anything else is "suspicious".
_STATUS = {
    1: "killed",
    3: "killed",  # pytest's internal error: the mutant broke the run
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
    37: "type check",
}
_DETECTED = frozenset({"killed", "timeout", "segfault"})
_UNCOUNTED = frozenset({"skipped", "type check"})


def _status(code: int | None) -> str:
    if code is None:
        return "not checked"
    return _STATUS.get(code, "suspicious")


def tally(mutants: Path) -> dict[str, Counter[str]]:
    """Count the mutants of each module in *mutants* by their status."""
    counts: dict[str, Counter[str]] = {}
    for meta in sorted(mutants.glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))
        by_key: dict[str, int | None] = codes["exit_code_by_key"]
        if by_key:
            name = meta.name.removesuffix(".meta")
            counts[name] = Counter(_status(c) for c in by_key.values())
    return counts


def score(counts: Counter[str]) -> tuple[int, int]:
    """Return (detected, counted) for one module's checked mutants."""
    detected = sum(counts[s] for s in _DETECTED)
    skip = _UNCOUNTED | {"not checked"}
    counted = sum(n for s, n in counts.items() if s not in skip)
    return detected, counted


def main(argv: list[str] | None = None) -> int:
    """Print the table; fail if a mutant is unchecked or the score is low."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--fail-under", type=float, default=0.0)
    args = parser.parse_args(argv)
    counts = tally(args.mutants)
    if not counts:
        print(f"no mutmut results under {args.mutants}; run `mutmut run`")
        return 1
    total: Counter[str] = Counter()
    header = "module", "detected", "survived", "no tests", "other", "unrun"
    print("{:<14}{:>10}{:>10}{:>10}{:>7}{:>7}  score".format(*header))
    for name, tallied in counts.items():
        total += tallied
        detected, counted = score(tallied)
        other = counted - detected - tallied["survived"] - tallied["no tests"]
        print(
            f"{name:<14}{detected:>10}{tallied['survived']:>10}"
            f"{tallied['no tests']:>10}{other:>7}{tallied['not checked']:>7}"
            f"{100 * detected / max(counted, 1):>6.1f}%"
        )
    detected, counted = score(total)
    percent = 100 * detected / max(counted, 1)
    print(f"overall: {detected}/{counted} mutants detected = {percent:.1f}%")
    unchecked = total["not checked"]
    if unchecked:
        print(
            f"{unchecked} mutants not run yet, so these scores cover only "
            f"those that were: run `mutmut run` again"
        )
        return 1
    if percent < args.fail_under:
        print(f"below the floor of {args.fail_under}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
