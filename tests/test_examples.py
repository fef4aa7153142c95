"""Every script in examples/ runs and prints what it should."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: A fragment each script's output must contain, by script name.
EXPECTED = {
    "quintet.py": (
        "Published 31 July 2019\n"
        "Last updated 1 August 2019\n"
        "+ show all updates\n"
        "\n"
        "1. 1 August 2019 Added link to Quintet communiqué.\n"
        "2. 31 July 2019 First published.\n"
    ),
    "track_page.py": (
        "2. Added link to Quintet communiqué. | Added link to Quintet "
        "communiqué. (major)\n"
        "3. (minor, no note) | Corrected spelling. (minor)\n"
        "4. (minor, no note) | Corrected the date 30 July 2019 to 29 July "
        "2019. (major)\n"
    ),
    "render_diff.py": (
        "Inserted: ([Quintet communiqué](https://www.gov.uk/government/"
        "publications/quintet-of-attorneys-general-communique))\n"
        "Wrote the inline page: "
    ),
    "import_git_history.py": (
        "3. 2021-05-20T14:15:00+01:00 Ann Archivist <ann@example.org>: "
        "Added booking advice.\n"
        "\n"
        "Published 1 March 2021\n"
        "Last updated 20 May 2021\n"
        "+ show all updates\n"
        "\n"
        "1. 20 May 2021 Added booking advice.\n"
        "2. 12 April 2021 Changed the opening time.\n"
        "3. 1 March 2021 First published.\n"
        "\n"
        "Revision 3 inserted: 'Book a seat online before you visit.'\n"
    ),
    "store_many.py": (
        "notice-042: 'Bin collection: Ashby', 4 revisions\n"
        "Published 20 February 2024\n"
        "Last updated 12 March 2024\n"
        "+ show all updates\n"
        "\n"
        "1. 12 March 2024 Added a map link.\n"
        "2. 20 February 2024 First published.\n"
        "Documents changed since 2024-10-01T00:00Z: 40\n"
        "First of them: notice-004, revisions 1\n"
        "Its first text: 'The pool opening at Ashby starts on 16 "
        "October.\\n'\n"
    ),
    "exchange_patches.py": (
        "diff-match-patch applied 2 of 2 hunks;\n"
        "  result equals the new text: True\n"
        "revtrack applied diff-match-patch's patch: True\n"
        "\n"
        "Unified diff:\n"
        "--- a/fees.md\t2024-03-01 09:00:00.000000000 +0000\n"
        "+++ b/fees.md\t2024-03-20 09:00:00.000000000 +0000\n"
        "@@ -1,4 +1,5 @@\n"
        " # Fees\n"
        " \n"
        "-Renewing a licence costs £10.\n"
        "+Renewing a licence costs £12 from 1 April.\n"
        " Apply online or by post.\n"
        "+You can pay by card.\n"
    ),
}


def test_every_example_is_checked() -> None:
    """Each script in examples/ has an expected output here."""
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name: str, tmp_path: Path) -> None:
    """The script exits 0 and prints its expected fragment."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    assert EXPECTED[name] in result.stdout
