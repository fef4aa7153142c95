"""The fuzz targets: seeds, regressions and random bytes keep the contract."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fuzz
from fuzz.__main__ import executions, names

if TYPE_CHECKING:
    from collections.abc import Callable

FUZZ = Path(fuzz.__file__).resolve().parent
#: The parsers issue 8 names, each of which must have a target.
REQUIRED = {
    "compact",
    "delta",
    "display_date",
    "formats",
    "govuk",
    "history",
    "html",
    "patch",
    "revision_ref",
    "timestamp",
    "unified",
}


def _target(name: str) -> Callable[[bytes], None]:
    module = importlib.import_module(f"fuzz.fuzz_{name}")
    target: Callable[[bytes], None] = module.target
    return target


def _files(folder: str) -> list[tuple[str, Path]]:
    return [
        (path.parent.name, path)
        for path in sorted((FUZZ / folder).glob("*/*"))
        if path.is_file()
    ]


def _generated() -> list[tuple[str, int]]:
    return [
        (name, i)
        for name in names()
        for i in range(
            len(importlib.import_module(f"fuzz.fuzz_{name}").seeds())
        )
    ]


class TestTargets:
    """Every parser has a target, and every input folder names one."""

    def test_required(self) -> None:
        """Each parser named in issue 8 has a fuzz target."""
        assert set() == REQUIRED - set(names())

    @pytest.mark.parametrize("folder", ["seeds", "regressions"])
    def test_folders_name_targets(self, folder: str) -> None:
        """A folder of inputs is named for a target that exists."""
        folders = {p.name for p in (FUZZ / folder).glob("*") if p.is_dir()}
        assert set() == folders - set(names())

    def test_regressions_present(self) -> None:
        """The inputs of the bugs fuzzing found are kept."""
        assert _files("regressions")


class TestReplay:
    """Kept inputs run through their target without a finding."""

    @pytest.mark.parametrize(
        ("name", "path"),
        _files("seeds") + _files("regressions"),
        ids=lambda v: v if isinstance(v, str) else v.name,
    )
    def test_kept(self, name: str, path: Path) -> None:
        """The input parses or raises a RevtrackError, and nothing else."""
        _target(name)(path.read_bytes())

    @pytest.mark.parametrize(("name", "index"), _generated())
    def test_generated(self, name: str, index: int) -> None:
        """Each generated seed parses or raises a RevtrackError."""
        module = importlib.import_module(f"fuzz.fuzz_{name}")
        _target(name)(module.seeds()[index])


class TestRandomBytes:
    """Hypothesis's bytes keep every target's contract too."""

    @pytest.mark.parametrize("name", names())
    @settings(max_examples=40)
    @given(data=st.binary(max_size=512))
    def test_binary(self, name: str, data: bytes) -> None:
        """Any bytes parse or raise a RevtrackError, and nothing else."""
        _target(name)(data)

    @pytest.mark.parametrize("name", names())
    @settings(max_examples=20)
    @given(data=st.data())
    def test_mutated_seed(self, name: str, data: st.DataObject) -> None:
        """A seed with bytes flipped, cut or added keeps the contract."""
        module = importlib.import_module(f"fuzz.fuzz_{name}")
        seed = bytearray(data.draw(st.sampled_from(module.seeds())))
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, len(seed)))
            kind = data.draw(st.sampled_from(["flip", "cut", "add"]))
            if kind == "flip" and at < len(seed):
                seed[at] ^= data.draw(st.integers(1, 255))
            elif kind == "cut":
                del seed[at : at + data.draw(st.integers(1, 16))]
            else:
                seed[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        _target(name)(bytes(seed))


class TestFieldsAndText:
    """The helpers that turn bytes into a target's input."""

    @given(st.binary())
    def test_as_text_round_trip(self, data: bytes) -> None:
        """Every byte string decodes, and encodes back to itself."""
        assert data == fuzz.as_text(data).encode("utf-8", "surrogateescape")

    @given(
        st.lists(
            st.text(
                st.characters(
                    exclude_categories=["Cs"], exclude_characters="\0"
                )
            ),
            min_size=1,
        )
    )
    def test_fields(self, parts: list[str]) -> None:
        """Parts joined by NUL split back, padded to the count asked."""
        data = "\0".join(parts).encode()
        assert parts == fuzz.fields(data, len(parts))
        assert [*parts, "", ""] == fuzz.fields(data, len(parts) + 2)


class TestExecutions:
    """The runner reads libFuzzer's count of executed inputs."""

    def test_final_stats(self) -> None:
        """The final statistics line wins over progress lines."""
        log = (
            "#1024\tpulse  cov: 3\n#2048\tNEW\n"
            "stat::number_of_executed_units: 2417\n"
        )
        assert 2417 == executions(log)

    def test_done_line(self) -> None:
        """Without statistics, the 'Done N runs' line counts."""
        assert 99 == executions("#64\tNEW\nDone 99 runs in 1 second(s)\n")

    def test_progress_only(self) -> None:
        """A run cut short counts its last progress line."""
        assert 64 == executions("#8\tINITED\n#64\tNEW    cov: 9\n")

    def test_nothing(self) -> None:
        """A log with no count gives None."""
        assert executions("crashed before starting") is None


class TestRunner:
    """python -m fuzz runs targets under atheris and counts executions."""

    def test_one_target(self) -> None:
        """A one-second run of a target ends without a finding."""
        pytest.importorskip("atheris")
        done = subprocess.run(
            [sys.executable, "-m", "fuzz", "display_date", "--seconds", "1"],
            cwd=FUZZ.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        assert 0 == done.returncode, done.stderr
        row = done.stdout.splitlines()[-1].split()
        assert ["display_date", "ok"] == [row[0], row[-1]]
        assert int(row[1]) > 0

    def test_unknown_target(self) -> None:
        """An unknown target name is a usage error."""
        done = subprocess.run(
            [sys.executable, "-m", "fuzz", "nonesuch", "--seconds", "1"],
            cwd=FUZZ.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        assert 2 == done.returncode
        assert "nonesuch" in done.stderr
