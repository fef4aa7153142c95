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

When a complete run costs more machine time than there is, ``--draw N``
picks a seeded random sample of N of the mutants not yet run, spread over
the modules in proportion to what each has left, writes it to
``mutants/sample.json`` and prints the names for ``mutmut run``. Once they
have run, the table estimates each module's score: the mutants run before
the draw count as they are, the rest at the rate the sample was detected
at, with a 95% interval (normal approximation, finite population
corrected). The exit status stays 1 until every mutant has run.

Usage: ``python tools/mutation_score.py [--fail-under PERCENT]`` or
``python tools/mutation_score.py --draw N [--seed S]``, from the
repository root, after ``mutmut run``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

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


def _codes(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Return each module's mutants and their exit codes (None: unrun)."""
    found = {}
    for meta in sorted(mutants.glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))
        by_key: dict[str, int | None] = codes["exit_code_by_key"]
        if by_key:
            found[meta.name.removesuffix(".meta")] = by_key
    return found


def tally(
    mutants: Path,
    *,
    only: set[str] | None = None,
    leave: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Counter[str]]:
    """Count the mutants of each module in *mutants* by their status."""
    return {
        name: Counter(
            _status(c)
            for key, c in by_key.items()
            if (only is None or key in only) and key not in leave
        )
        for name, by_key in _codes(mutants).items()
    }


def draw(mutants: Path, size: int, seed: int) -> list[str]:
    """Pick *size* unrun mutants at random, in proportion per module."""
    unrun = {
        name: sorted(k for k, c in by_key.items() if c is None)
        for name, by_key in _codes(mutants).items()
    }
    left = sum(map(len, unrun.values()))
    rng = random.Random(seed)  # noqa: S311 - a sample, not a secret
    names: list[str] = []
    for keys in unrun.values():
        names += rng.sample(
            keys, min(len(keys), round(size * len(keys) / left))
        )
    record = {"seed": seed, "names": names, "unrun": unrun}
    (mutants / "sample.json").write_text(json.dumps(record, indent=1))
    return names


def _estimate(mutants: Path, record: dict[str, Any]) -> int:
    """Print each module's estimate from a drawn sample; return 1."""
    sample: set[str] = set(record["names"])
    unrun: dict[str, list[str]] = record["unrun"]
    # Mutants run after the draw but outside the sample would be counted
    # twice: they are part of the rest the sample stands for.
    before = tally(mutants, leave={k for keys in unrun.values() for k in keys})
    drawn = tally(mutants, only=sample)
    print(
        f"estimate from a sample of {len(sample)} of the "
        f"{sum(map(len, unrun.values()))} mutants unrun at the draw "
        f"(seed {record['seed']}):"
    )
    header = "module", "run before", "sample", "estimate", "95% interval"
    print("{:<14}{:>12}{:>12}{:>10}  {}".format(*header))
    detected_all = counted_all = variance_all = 0.0
    for name, counts in before.items():
        head, head_counted = score(counts)
        taken = drawn.get(name, Counter())
        got, ran = score(taken)
        done = taken.total() - taken["not checked"]
        rest = len(unrun.get(name, []))
        if rest and not ran:
            print(f"{name:<14}{head:>6}/{head_counted:<5}  no sample run yet")
            continue
        # The rest counts at the sample's rate, and only as many of it as
        # the sample's share of countable mutants (mypy rejects a few).
        rate = got / ran if ran else 0.0
        rest_counted = rest * ran / done if done else 0.0
        # Sampling without replacement: the finite population correction.
        variance = (
            rest_counted**2
            * rate
            * (1 - rate)
            / ran
            * max(rest - done, 0)
            / max(rest - 1, 1)
            if ran
            else 0.0
        )
        detected = head + rest_counted * rate
        counted = head_counted + rest_counted
        margin = 1.96 * math.sqrt(variance)
        detected_all += detected
        counted_all += counted
        variance_all += variance
        print(
            f"{name:<14}{head:>6}/{head_counted:<5}{got:>6}/{ran:<5}"
            f"{100 * detected / max(counted, 1):>9.1f}%  "
            f"{100 * (detected - margin) / max(counted, 1):.1f}-"
            f"{100 * min(detected + margin, counted) / max(counted, 1):.1f}%"
        )
    margin = 1.96 * math.sqrt(variance_all)
    print(
        f"overall estimate: {100 * detected_all / counted_all:.1f}% "
        f"(95%: {100 * (detected_all - margin) / counted_all:.1f}-"
        f"{100 * (detected_all + margin) / counted_all:.1f}%)"
    )
    return 1


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
    parser.add_argument("--draw", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.draw:
        print(" ".join(draw(args.mutants, args.draw, args.seed)))
        return 0
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
    sample = args.mutants / "sample.json"
    if unchecked and sample.exists():
        return _estimate(args.mutants, json.loads(sample.read_text()))
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
