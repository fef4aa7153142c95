"""The mutation score script: tallies, the seeded draw and its estimate."""

from __future__ import annotations

import collections
import json
from typing import TYPE_CHECKING

from tools import mutation_score

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def _mutants(tmp_path: Path, codes: dict[str, int | None]) -> Path:
    """Write a mutmut results folder for one module, ``_m.py``."""
    folder = tmp_path / "mutants" / "src" / "pkg"
    folder.mkdir(parents=True)
    meta = {"exit_code_by_key": codes}
    (folder / "_m.py.meta").write_text(json.dumps(meta))
    return tmp_path / "mutants"


def _set(mutants: Path, codes: dict[str, int | None]) -> None:
    meta = mutants / "src" / "pkg" / "_m.py.meta"
    data = json.loads(meta.read_text())
    data["exit_code_by_key"].update(codes)
    meta.write_text(json.dumps(data))


class TestScore:
    """Killed, timed-out and crashed mutants are detected; the rest count."""

    def test_statuses(self) -> None:
        """Survivors and untested mutants count against; mypy's do not."""
        counts = collections.Counter(
            {"killed": 6, "timeout": 1, "survived": 2, "no tests": 1}
        )
        counts["type check"] = 5
        assert (7, 10) == mutation_score.score(counts)


class TestDraw:
    """A seeded sample of the unrun mutants stands for the rest."""

    def test_same_seed_same_sample(self, tmp_path: Path) -> None:
        """The draw is reproducible and takes only unrun mutants."""
        codes: dict[str, int | None] = {f"m_{i}": None for i in range(40)}
        codes |= {f"r_{i}": 1 for i in range(10)}
        mutants = _mutants(tmp_path, codes)
        first = mutation_score.draw(mutants, 8, seed=3)
        again = mutation_score.draw(mutants, 8, seed=3)
        assert (8, first) == (len(first), again)
        assert all(name.startswith("m_") for name in first)
        record = json.loads((mutants / "sample.json").read_text())
        assert 40 == len(record["unrun"]["_m.py"])

    def test_estimate(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The rest counts at the sample's rate; nothing counts twice."""
        codes: dict[str, int | None] = {f"m_{i}": None for i in range(40)}
        codes |= {f"r_{i}": 1 for i in range(10)}
        mutants = _mutants(tmp_path, codes)
        sample = mutation_score.draw(mutants, 10, seed=1)
        # Eight of the ten sampled are detected: the 40 count as 32.
        _set(
            mutants, {name: 1 if i < 8 else 0 for i, name in enumerate(sample)}
        )
        # Run after the draw, outside the sample: not counted again.
        other = next(
            k for k in codes if k.startswith("m_") and k not in sample
        )
        _set(mutants, {other: 0})
        assert 1 == mutation_score.main(["--mutants", str(mutants)])
        out = capsys.readouterr().out
        assert "overall estimate: 84.0%" in out  # (10 + 32) / 50
        assert "_m.py" in out
