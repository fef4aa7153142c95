"""
Track a GOV.UK-style press release from saved HTML snapshots.

Reads the five saved versions of a press release page in ``pages/`` (made
up for this example), turns each into readable text, builds the page's
history with the change notes its editors published, then prints the
note revtrack would suggest beside each real one, the audit's findings,
and who wrote each line of the latest version.

Run it with ``python examples/track_page.py``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import revtrack

PAGES = Path(__file__).resolve().parent / "pages"
URL = "https://www.gov.uk/government/news/attorneys-general-cybercrime"

# (snapshot, when, what the editors published: a note, or minor)
HISTORY = [
    ("v1.html", "2019-07-31T10:30", "First published."),
    ("v2.html", "2019-08-01T09:15", "Added link to Quintet communiqué."),
    ("v3.html", "2019-08-02T11:00", None),  # minor: a typo
    ("v4.html", "2019-08-05T16:40", None),  # minor: but the date changed
    ("v5.html", "2019-08-06T08:05", "Added link to the Budapest Convention."),
]


def main() -> None:
    """Build the history, then print suggestions, audit and blame."""
    doc = revtrack.Document("quintet", "Attorneys General", url=URL)
    for name, at, note in HISTORY:
        html = (PAGES / name).read_text(encoding="utf-8")
        text = revtrack.html_to_text(html, base_url=URL)
        if not doc.revisions:
            doc.publish(text, at=at, tz="Europe/London", note=note or "")
        elif note is None:
            doc.update(text, at=at, tz="Europe/London", minor=True)
        else:
            doc.update(text, at=at, tz="Europe/London", note=note)

    print("Change notes: published | suggested")
    revisions = doc.revisions
    for before, after in itertools.pairwise(revisions):
        suggestion = revtrack.suggest_update(
            revtrack.diff(before.text, after.text)
        )
        real = after.note or f"({after.update_type.value}, no note)"
        print(
            f"{after.number}. {real} | "
            f"{suggestion.note} ({suggestion.update_type.value})"
        )

    print("\nAudit:")
    for finding in doc.audit():
        print(
            f"- revision {finding.revision}, {finding.rule}: "
            f"{finding.evidence}"
        )

    print("\nWho wrote the latest version (revision: line):")
    for span in doc.blame():
        line = span.text.rstrip("\n")
        if line:
            print(f"{span.revision.number}: {line[:70]}")


if __name__ == "__main__":
    main()
