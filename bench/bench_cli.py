"""
The command line as whole processes: start-up, log and diff.

Start-up: `revtrack --help` against `python -c pass` (the interpreter's
floor), `python -c "import click"` and `python -c "import revtrack"`
(what --help costs while the package's __init__ loads everything), and
--help with the package's __init__ skipped, as a lazy __init__ would. Then,
on the largest corpus (whatwg-url), `revtrack log` and `revtrack diff`
against `git log` and `git diff` on a git repository built from the same
history, one commit per revision, each the median of a few runs.

Set REVTRACK_BENCH_MAX_REVISIONS to cut the history short for a quick run
(the figures then describe the shortened history).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._timing import median_time, table

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPUS = "whatwg-url.jsonl.gz"
SCRIPT = Path(sys.executable).parent / "revtrack"


def _run(args: list[str]) -> None:
    subprocess.run(args, capture_output=True, check=False)


def _timed(args: list[str], repeat: int) -> float:
    return median_time(lambda: _run(args), repeat=repeat)


def _git_time(text: str) -> str:
    from datetime import datetime  # noqa: PLC0415

    when = datetime.fromisoformat(text)
    offset = when.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{int(when.timestamp())} {sign}{hours:02d}{mins:02d}"


def _build_git(repo: Path, lines: list[dict[str, str]]) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream = bytearray()
    for line in lines:
        when = _git_time(line["timestamp"])
        message = line["message"].encode()
        text = line["text"].encode()
        stream += b"commit refs/heads/main\n"
        stream += f"author A <a@example.org> {when}\n".encode()
        stream += f"committer A <a@example.org> {when}\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        stream += b"M 100644 inline url.bs\n"
        stream += b"data %d\n%s\n" % (len(text), text)
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        input=bytes(stream),
        check=True,
    )


# `revtrack --help` as it would run if revtrack/__init__.py imported its
# modules lazily: the package is a bare module, so only _cli and click load.
_LAZY_HELP = """
import importlib.util, sys, types
spec = importlib.util.find_spec("revtrack")
package = types.ModuleType("revtrack")
package.__path__ = list(spec.submodule_search_locations)
sys.modules["revtrack"] = package
from revtrack._cli import main
sys.argv = ["revtrack", "--help"]
main()
"""


def _startup() -> None:
    python = sys.executable
    rows = []
    floor = _timed([python, "-c", "pass"], 9)
    for label, args in [
        ("python -c pass", [python, "-c", "pass"]),
        ("python -c 'import click'", [python, "-c", "import click"]),
        ("python -c 'import revtrack'", [python, "-c", "import revtrack"]),
        ("revtrack --help", [str(SCRIPT), "--help"]),
        ("revtrack --help, lazy __init__", [python, "-c", _LAZY_HELP]),
        ("revtrack log --help", [str(SCRIPT), "log", "--help"]),
    ]:
        seconds = _timed(args, 9)
        rows.append(
            [label, f"{seconds * 1000:.0f} ms", f"{seconds / floor:.1f}x"]
        )
    print("start-up (median of 9 runs; target: revtrack --help < 150 ms)")
    print(table(["command", "median", "vs python -c pass"], rows))


def main() -> None:
    """Print start-up times, then log and diff times on the largest corpus."""
    if not SCRIPT.exists():
        print(f"no console script at {SCRIPT}; run pip install -e .")
        return
    _startup()
    source = CORPORA / CORPUS
    if not source.exists():
        print(f"no corpus at {source}; skipping log and diff")
        return
    with gzip.open(source, "rt", encoding="utf-8") as file:
        lines = [json.loads(line) for line in file]
    limit = int(os.environ.get("REVTRACK_BENCH_MAX_REVISIONS", "0"))
    if limit:
        lines = lines[:limit]
    count = len(lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl = folder / "url.jsonl"
        jsonl.write_text(
            "".join(json.dumps(line) + "\n" for line in lines), "utf-8"
        )
        repo = folder / "repo"
        _build_git(repo, lines)
        histories = {"json": folder / "url.json", "compact": folder / "url.xz"}
        for path in histories.values():
            subprocess.run(
                [str(SCRIPT), "-q", "import", "jsonl", str(jsonl), "-o",
                 str(path)],
                check=True,
            )  # fmt: skip
        first = f"HEAD~{count - 1}" if count > 1 else "HEAD"
        cases = [
            ("log", [], ["log"], ["log", "--format=%h %aI %s"]),
            (
                "diff -2 -1 --format unified",
                [],
                ["diff", "-2", "-1", "--format", "unified"],
                ["diff", "HEAD~1", "HEAD"],
            ),
            (
                "diff -2 -1 (words)",
                ["--color=never"],
                ["diff", "-2", "-1"],
                ["diff", "--word-diff", "HEAD~1", "HEAD"],
            ),
            (
                "diff 1 -1 --format unified",
                [],
                ["diff", "1", "-1", "--format", "unified"],
                ["diff", first, "HEAD"],
            ),
        ]
        rows = []
        for label, options, (command, *args), theirs in cases:
            git_seconds = _timed(
                ["git", "-C", str(repo), *theirs, "--", "url.bs"], 5
            )
            for form, path in histories.items():
                seconds = _timed(
                    [str(SCRIPT), *options, command, str(path), *args], 3
                )
                rows.append(
                    [
                        f"revtrack {label} ({form})",
                        f"{seconds:.2f} s",
                        f"{git_seconds * 1000:.0f} ms",
                        f"{seconds / git_seconds:.0f}x",
                    ]
                )
        print()
        print(
            f"{CORPUS}: {count} revisions, "
            f"{sum(len(line['text']) for line in lines) / 1e6:.1f} M "
            f"characters; revtrack median of 3 runs, git of 5"
        )
        print(table(["command", "revtrack", "git", "ratio"], rows))
