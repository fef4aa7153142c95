"""
Exchange patches with diff-match-patch ports and with GNU patch.

Makes a patch between two versions of a made-up fees page, writes it as
diff-match-patch patch text and applies that text with the Python port of
diff-match-patch (any other port, in JavaScript, Java or C#, reads the same
text); then writes the change as a unified diff and applies it to a file
with GNU ``patch``, when that command is installed, comparing the bytes.

Run it with ``python examples/exchange_patches.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pendulum
from diff_match_patch import diff_match_patch

import revtrack

OLD = """\
# Fees

Renewing a licence costs £10.
Apply online or by post.
"""

NEW = """\
# Fees

Renewing a licence costs £12 from 1 April.
Apply online or by post.
You can pay by card.
"""


def through_dmp() -> None:
    """Send revtrack's patch text to diff-match-patch and back."""
    patch = revtrack.make_patch(OLD, NEW)
    text = patch.format("dmp")
    print("diff-match-patch patch text:")
    print(text, end="")

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    result, applied = dmp.patch_apply(dmp.patch_fromText(text), OLD)
    print(f"diff-match-patch applied {sum(applied)} of {len(applied)} hunks;")
    print(f"  result equals the new text: {result == NEW}")

    # And the other way: diff-match-patch's own patch, read by revtrack.
    theirs = dmp.patch_toText(dmp.patch_make(OLD, NEW))
    mine = revtrack.Patch.parse(theirs).apply(OLD)
    print(f"revtrack applied diff-match-patch's patch: {mine == NEW}")


def through_gnu_patch() -> None:
    """Write a unified diff and apply it with GNU patch, if installed."""
    unified = revtrack.unified_diff(
        OLD,
        NEW,
        old_label="a/fees.md",
        new_label="b/fees.md",
        old_time=pendulum.datetime(2024, 3, 1, 9, tz="Europe/London"),
        new_time=pendulum.datetime(2024, 3, 20, 9, tz="Europe/London"),
    )
    print()
    print("Unified diff:")
    print(unified, end="")

    gnu_patch = shutil.which("patch")
    if gnu_patch is None:
        print("GNU patch is not installed: skipped applying the diff.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Bytes, not text: no newline translation on any platform.
        (folder / "fees.md").write_bytes(OLD.encode())
        (folder / "fees.diff").write_bytes(unified.encode())
        subprocess.run(  # noqa: S603 - our own arguments, no shell
            [gnu_patch, "-p1", "--quiet", "-i", "fees.diff"],
            cwd=folder,
            check=True,
        )
        same = (folder / "fees.md").read_bytes() == NEW.encode()
    print(f"GNU patch made the new text byte for byte: {same}")


if __name__ == "__main__":
    through_dmp()
    through_gnu_patch()
