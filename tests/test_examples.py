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
