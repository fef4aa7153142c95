"""
Fuzz every target, or those named: ``python -m fuzz [NAME...] [--seconds N]``.

Each target runs under atheris (libFuzzer) in a process of its own for a
fixed time, with a bound on the time of one input and on memory. Its
starting corpus is its ``seeds()``, the files in ``fuzz/seeds/<name>/``
and the regressions in ``fuzz/regressions/<name>/``; what the fuzzer adds
goes to a temporary folder, not to the repository. An input that makes a
target raise what its contract does not allow, run past the time bound or
the memory bound is written to ``fuzz/findings/`` and the run exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import pkgutil
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FINDINGS = HERE / "findings"
_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"^Done (\d+) runs", re.MULTILINE)
_PROGRESS = re.compile(r"^#(\d+)\s", re.MULTILINE)


def names() -> list[str]:
    """Return the names of every target, from the ``fuzz_*`` modules."""
    return sorted(
        info.name.removeprefix("fuzz_")
        for info in pkgutil.iter_modules([str(HERE)])
        if info.name.startswith("fuzz_")
    )


def executions(log: str) -> int | None:
    """Read how many inputs libFuzzer ran from its log."""
    for pattern in (_EXECUTED, _DONE):
        found = pattern.findall(log)
        if found:
            return int(found[-1])
    found = _PROGRESS.findall(log)
    return int(found[-1]) if found else None


def _seed(name: str, corpus: Path) -> None:
    module = importlib.import_module(f"fuzz.fuzz_{name}")
    for i, data in enumerate(module.seeds()):
        (corpus / f"generated-{i}").write_bytes(data)


def run(name: str, args: argparse.Namespace, work: Path) -> tuple[int, str]:
    """Fuzz *name*; return its exit code and libFuzzer's log."""
    corpus = work / name
    corpus.mkdir()
    _seed(name, corpus)
    FINDINGS.mkdir(exist_ok=True)
    folders = [
        str(folder)
        for folder in (HERE / "seeds" / name, HERE / "regressions" / name)
        if folder.is_dir()
    ]
    command = [
        sys.executable,
        "-m",
        "fuzz._atheris",
        name,
        f"-max_total_time={args.seconds}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={FINDINGS}/{name}-",
        "-print_final_stats=1",
        str(corpus),
        *folders,
    ]
    done = subprocess.run(
        command,
        cwd=HERE.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        check=False,
    )
    return done.returncode, done.stdout


def main(argv: list[str]) -> int:
    """Fuzz the targets one after another; return 1 on any finding."""
    parser = argparse.ArgumentParser(prog="python -m fuzz")
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=", ".join(names())
    )
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--timeout", type=int, default=10, help="per input, s")
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--max-len", type=int, default=16384, help="bytes")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(names()))
    if unknown:
        parser.error(f"no targets {unknown}; there are {names()}")
    if importlib.util.find_spec("atheris") is None:
        parser.error("atheris is not installed: pip install -e '.[fuzz]'")
    failed = []
    print(
        f"{'target':<16} {'executions':>11} {'per s':>7}  result", flush=True
    )
    with tempfile.TemporaryDirectory(prefix="revtrack-fuzz-") as tmp:
        for name in args.names or names():
            start = time.monotonic()
            code, log = run(name, args, Path(tmp))
            seconds = time.monotonic() - start
            count = executions(log)
            result = "ok" if code == 0 else f"FINDING (exit {code})"
            rate = f"{count / seconds:.0f}" if count is not None else "?"
            print(
                f"{name:<16} {count or 0:>11} {rate:>7}  {result}", flush=True
            )
            if code != 0:
                failed.append(name)
                (FINDINGS / f"{name}.log").write_text(log, encoding="utf-8")
                print(_tail(log), file=sys.stderr, flush=True)
    if failed:
        print(f"findings in {failed}: see {FINDINGS}", file=sys.stderr)
        return 1
    return 0


def _tail(log: str, lines: int = 60) -> str:
    """Return the end of *log*, where libFuzzer says what it found."""
    return "\n".join(log.splitlines()[-lines:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
