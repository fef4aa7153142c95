"""
Import the history of one file from a git repository.

Builds a small git repository in a temporary folder, committing three
versions of a made-up policy page with fixed dates, then reads the page's
history with ``revtrack.import_git`` and prints each revision, the public
footer and what the last commit changed, word by word.

Run it with ``python examples/import_git_history.py``; it needs ``git``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import revtrack

# (text of the page, commit message, commit date)
COMMITS = [
    (
        "# Visiting the archive\n\nThe reading room opens at 9am.\n",
        "First published.",
        "2021-03-01T10:00:00+00:00",
    ),
    (
        "# Visiting the archive\n\nThe reading room opens at 10am.\n",
        "Changed the opening time.",
        "2021-04-12T09:30:00+01:00",
    ),
    (
        (
            "# Visiting the archive\n\nThe reading room opens at 10am.\n\n"
            "Book a seat online before you visit.\n"
        ),
        "Added booking advice.",
        "2021-05-20T14:15:00+01:00",
    ),
]


def git(repo: Path, *args: str, date: str | None = None) -> None:
    """Run one git command in *repo*, with a fixed identity and date."""
    # Ignore the user's git configuration (signing, hooks, default branch):
    # the example must behave the same on every machine.
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    if date is not None:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(  # noqa: S603 - our own arguments, no shell
        [
            *("git", "-C", str(repo)),
            *("-c", "user.name=Ann Archivist"),
            *("-c", "user.email=ann@example.org"),
            *args,
        ],
        check=True,
        capture_output=True,
        env=env,
    )


def main() -> None:
    """Build the repository, import the page and print its history."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q")
        for text, message, date in COMMITS:
            (repo / "visiting.md").write_text(text, encoding="utf-8")
            git(repo, "add", "visiting.md")
            git(repo, "commit", "-q", "-m", message, date=date)

        doc = revtrack.import_git(
            repo, "visiting.md", title="Visiting the archive"
        )

    for rev in doc.revisions:
        print(f"{rev.number}. {rev.at.isoformat()} {rev.author}: {rev.note}")
    print()
    print(doc.history_text())
    print()
    change = doc.diff(2, 3, granularity="word")
    inserted = "".join(
        e.text for e in change.edits if e.op is revtrack.Op.INSERT
    )
    print(f"Revision 3 inserted: {inserted.strip()!r}")


if __name__ == "__main__":
    main()
