"""
Storage: bytes stored and read times, against git packs and gzip.

For each corpus in ../shared/corpora and a generated, seeded history of
1,000 revisions of a 50 KB document with small edits, it prints the bytes
of the compact file and of a SQLiteStore file beside the `git gc
--aggressive` pack of the same history and the gzip of all full texts;
the median time to read revision 1, the middle one and the last from the
store, whole and per KB of the revision's text; SQLiteStore append
throughput; and the time to import the
awesome-readme corpus.

Set REVTRACK_BENCH_MAX_REVISIONS to cut every history short for a quick
run (the figures then describe the shortened histories).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import revtrack
from bench._timing import median_times, table

if TYPE_CHECKING:
    from collections.abc import Callable

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
_PARAGRAPH = (
    "the of and to in a is that for it as was with be by on not he this are"
    " or his from at which but have an they you were her she there been one"
    " all we their has would when if so no will more can out other about"
    " into them some could time these two may then do first any my now such"
    " like our over man me even most made after also did many before must"
    " through back years where much your way well down should because each"
    " just those people how too little state good very make world still own"
)
_WORDS = _PARAGRAPH.split()


def _limit() -> int | None:
    value = os.environ.get("REVTRACK_BENCH_MAX_REVISIONS")
    return int(value) if value else None


def generated(
    revisions: int = 1000, size: int = 50_000, seed: int = 4
) -> list[str]:
    """A seeded history: a ~50 KB text, then small edits, one a revision."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    for i in range(12, len(words), 12):  # lines of about a dozen words
        words[i] = "\n" + words[i]
    texts = [" ".join(words)]
    for _ in range(revisions - 1):
        at = rng.randrange(len(words))
        kind = rng.random()
        if kind < 0.4:
            words[at] = rng.choice(_WORDS)
        elif kind < 0.7:
            words[at:at] = rng.choices(_WORDS, k=rng.randint(1, 4))
        else:
            del words[at : at + rng.randint(1, 3)]
        texts.append(" ".join(words))
    return texts


def _corpus(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def _document(name: str, rows: list[dict[str, str]]) -> revtrack.Document:
    lines = [json.dumps(row) for row in rows]
    return revtrack.read_jsonl(
        lines, id=name, title=name, allow_backwards=True
    )


def _git_pack(rows: list[dict[str, str]], workdir: Path) -> int:
    """Commit every revision with git fast-import, gc, return pack bytes."""
    repo = workdir / "git"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    stream = bytearray()
    for i, row in enumerate(rows):
        message = row["message"].encode()
        data = row["text"].encode()
        stream += b"commit refs/heads/main\n"
        stream += b"committer bench <bench@example.org> %d +0000\n" % (
            1_400_000_000 + i
        )
        stream += b"data %d\n%s\n" % (len(message), message)
        stream += b"M 644 inline doc.txt\ndata %d\n%s\n" % (len(data), data)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        input=bytes(stream),
        cwd=repo,
        check=True,
    )
    subprocess.run(["git", "gc", "-q", "--aggressive"], cwd=repo, check=True)
    return sum(p.stat().st_size for p in repo.glob(".git/objects/pack/*.pack"))


def _gzip_texts(rows: list[dict[str, str]]) -> int:
    return len(gzip.compress("".join(r["text"] for r in rows).encode(), 9))


def _reads(store: revtrack.SQLiteStore, name: str, count: int) -> list[float]:
    def reader(number: int) -> Callable[[], object]:
        return lambda: store.revision(name, number)

    numbers = [1, (count + 1) // 2, count]
    return median_times([reader(n) for n in numbers], repeat=31)


def _measure(
    name: str, rows: list[dict[str, str]], workdir: Path
) -> tuple[list[str], list[str]]:
    doc = _document(name, rows)
    compact = len(revtrack.dumps(doc, compact=True))
    db = workdir / f"{name}.db"
    with revtrack.SQLiteStore(db) as store:
        store.put(doc)
        reads = _reads(store, name, len(rows))
    sqlite_bytes = db.stat().st_size
    git = _git_pack(rows, workdir)
    shutil.rmtree(workdir / "git")
    sizes = [
        name,
        str(len(rows)),
        f"{sum(len(r['text'].encode()) for r in rows) / 1e6:.1f} MB",
        f"{git / 1e3:.0f} KB",
        f"{sqlite_bytes / 1e3:.0f} KB",
        f"{sqlite_bytes / git:.2f}",
        f"{compact / 1e3:.0f} KB",
        f"{compact / git:.2f}",
        f"{_gzip_texts(rows) / 1e3:.0f} KB",
    ]
    count = len(rows)
    kilobytes = [
        len(rows[n - 1]["text"].encode()) / 1e3
        for n in (1, (count + 1) // 2, count)
    ]
    per_kb = [t / kb for t, kb in zip(reads, kilobytes, strict=True)]
    times = [
        name,
        *(f"{t * 1e3:.2f} ms" for t in reads),
        f"{max(reads) / min(reads):.2f}",
        *(f"{t * 1e6:.0f} µs" for t in per_kb),
        f"{max(per_kb) / min(per_kb):.2f}",
    ]
    return sizes, times


def _appends(workdir: Path, texts: list[str]) -> float:
    """Return revisions per second appended to a SQLiteStore."""
    with revtrack.SQLiteStore(workdir / "appends.db") as store:
        store.put(revtrack.Document("g", "Generated"))
        first = revtrack.parse_timestamp("2020-01-01T00:00:00+00:00")
        start = time.perf_counter()
        for i, text in enumerate(texts):
            store.append("g", text, at=first.add(minutes=i), note="Edited.")
        return len(texts) / (time.perf_counter() - start)


def main() -> None:
    """Print sizes against git and gzip, read times and throughput."""
    limit = _limit()
    histories: list[tuple[str, list[dict[str, str]]]] = []
    for path in sorted(CORPORA.glob("*.jsonl*")):
        name = path.name.split(".")[0]
        histories.append((name, _corpus(path)[:limit]))
    texts = generated()[:limit]
    histories.append(
        (
            "generated-50KB",
            [
                {
                    "timestamp": "2020-01-01T00:00:00+00:00",
                    "message": f"Edit {i}.",
                    "text": text,
                }
                for i, text in enumerate(texts)
            ],
        )
    )
    size_rows, time_rows = [], []
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        for name, rows in histories:
            sizes, times = _measure(name, rows, workdir)
            size_rows.append(sizes)
            time_rows.append(times)
            print(f"measured {name}", flush=True)
        print()
        print(
            "Bytes stored: the SQLiteStore file (WAL checkpointed) and the"
            " compact history file,\neach divided by the `git gc"
            " --aggressive` pack of the same history (target: <= 1.00);"
            "\nand the gzip of all full texts, for scale:"
        )
        print(
            table(
                [
                    "history",
                    "revisions",
                    "text",
                    "git pack",
                    "SQLite",
                    "SQLite ÷ git",
                    "compact",
                    "compact ÷ git",
                    "gzip texts",
                ],
                size_rows,
            )
        )
        print()
        print(
            "SQLiteStore.revision() median of 31 rounds, each reading"
            " revision 1, the middle one and the last in turn;\n'spread' is"
            " the slowest ÷ the fastest (target: <= 2, and < 5 ms for a"
            " 50 KB text),\nthen the same times per KB of the revision's"
            " UTF-8 text and their spread:"
        )
        print(
            table(
                [
                    "history",
                    "first",
                    "middle",
                    "last",
                    "spread",
                    "first/KB",
                    "middle/KB",
                    "last/KB",
                    "spread/KB",
                ],
                time_rows,
            )
        )
        rate = _appends(workdir, texts[:300])
        print()
        print(f"append throughput: {rate:.0f} revisions/s (generated 50 KB)")
        source = CORPORA / "awesome-readme.jsonl.gz"
        if source.exists() and limit is None:
            imports = []
            for i in range(3):
                start = time.perf_counter()
                doc = revtrack.read_jsonl(
                    source, id="awesome", title="awesome", allow_backwards=True
                )
                with revtrack.SQLiteStore(workdir / f"import{i}.db") as store:
                    store.put(doc)
                imports.append(time.perf_counter() - start)
            print(
                f"import awesome-readme.jsonl.gz (958 revisions) into a "
                f"SQLiteStore: median {statistics.median(imports):.2f} s"
            )


if __name__ == "__main__":
    main()
