"""
Keep a few hundred documents in one SQLite file and query them.

Generates 300 small notices (seeded, so every run makes the same ones),
each with one to four revisions, puts them all into a ``SQLiteStore`` in a
temporary folder, closes it, then opens the file again and asks it
questions: how many documents, which one has a given URL, what changed
since a date, and what a revision said.

Run it with ``python examples/store_many.py``.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import pendulum

import revtrack

COUNT = 300
TOPICS = ["road closure", "library hours", "bin collection", "pool opening"]
MAJOR_SHARE = 0.5  # of updates that get a public note
PLACES = ["Ashby", "Brook Street", "Castle Hill", "Dene Park", "Eastgate"]


def notice(number: int, rng: random.Random) -> revtrack.Document:
    """Make notice *number*: a publication and up to three updates."""
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    doc = revtrack.Document(
        f"notice-{number:03}",
        f"{topic.capitalize()}: {place}",
        url=f"https://example.org/notices/{number:03}",
    )
    day = pendulum.datetime(2024, 1, 1, 9, tz="Europe/London")
    day = day.add(days=rng.randrange(300))
    text = f"The {topic} at {place} starts on {day.format('D MMMM')}.\n"
    doc.publish(text, at=day)
    for _ in range(rng.randrange(4)):
        day = day.add(days=rng.randrange(1, 30), hours=rng.randrange(8))
        if rng.random() < MAJOR_SHARE:
            text += f"Update: see the map for {place}.\n"
            doc.update(text, at=day, note="Added a map link.")
        else:
            text = text.replace(".\n", " (all day).\n", 1)
            doc.update(text, at=day, minor=True)
    return doc


def main() -> None:
    """Fill a store, reopen it and print the answers to a few queries."""
    rng = random.Random(7)  # noqa: S311 - sample data, not secrets
    docs = [notice(n, rng) for n in range(1, COUNT + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notices.sqlite"
        start = time.perf_counter()
        store = revtrack.SQLiteStore(path)
        for doc in docs:
            store.put(doc)
        store.close()
        took = time.perf_counter() - start

        store = revtrack.SQLiteStore(path)
        revisions = sum(len(d.revisions) for d in docs)
        print(f"Stored {len(store.ids())} documents, {revisions} revisions")
        print(f"  in {took:.2f} s, {path.stat().st_size // 1024} KB on disk")

        (found,) = store.find(url="https://example.org/notices/042")
        doc = store.get(found)
        print(f"{found}: {doc.title!r}, {len(doc.revisions)} revisions")
        print(doc.history_text())

        since = "2024-10-01T00:00Z"
        recent = [
            (doc_id, len(store.revisions(doc_id, since=since)))
            for doc_id in store.ids()
        ]
        changed = [pair for pair in recent if pair[1]]
        print(f"Documents changed since {since}: {len(changed)}")
        print(f"First of them: {changed[0][0]}, revisions {changed[0][1]}")
        print(f"Its first text: {store.revision(changed[0][0], 1).text!r}")
        store.close()


if __name__ == "__main__":
    main()
