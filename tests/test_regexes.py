"""ReDoS: every regular expression finishes on the inputs that attack it."""

from __future__ import annotations

import contextlib
import re
import signal
import time
from typing import TYPE_CHECKING

import pytest

from fuzz import redos

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

#: Attack inputs are this long: a quadratic pattern takes minutes on them.
SIZE = 50_000
#: A generous bound: the slowest pattern takes well under a second.
BOUND = 5.0

PATTERNS = redos.patterns()


class _TooSlowError(Exception):
    """A pattern ran past the bound."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _TooSlowError


@contextlib.contextmanager
def _bounded(seconds: float) -> Iterator[None]:
    """
    Interrupt the block after *seconds*.

    The regex engine checks for signals as it backtracks, so a pattern
    stuck in a long match is stopped in the test's own process, without a
    process per pattern.
    """
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class TestTable:
    """The table of attacks covers every pattern revtrack has."""

    def test_every_pattern_has_a_case(self) -> None:
        """A new pattern fails here until its attacks join the table."""
        assert set() == set(PATTERNS) - set(redos.CASES)

    def test_every_case_has_a_pattern(self) -> None:
        """A pattern removed from revtrack leaves the table too."""
        assert set() == set(redos.CASES) - set(PATTERNS)

    def test_built_patterns_are_known(self) -> None:
        """Each function that builds a pattern from parts is in BUILT."""
        built = {
            key for key, literal in redos.call_sites().items() if not literal
        }
        assert set() == built - set(redos.BUILT)

    def test_uses(self) -> None:
        """Each case says how revtrack runs its pattern."""
        uses = {case.use for case in redos.CASES.values()}
        assert set() == uses - {"scan", "match", "fullmatch"}

    def test_finds_the_kinds(self) -> None:
        """Globals, dict and tuple entries, inline and built calls count."""
        for key in (
            "_history._HEADER",
            "_blame._SPLIT['line']",
            "_classify._CLAIMS[0][0]",
            "_model._ref_time:\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*",
            "_tokens._pattern('word')",
        ):
            assert isinstance(PATTERNS[key], re.Pattern)


class TestBounded:
    """Each pattern finishes on its attacks at 50,000 characters."""

    @pytest.mark.parametrize("key", sorted(redos.CASES))
    def test_attacks(self, key: str) -> None:
        """The pattern runs over every attack input within the bound."""
        case = redos.CASES[key]
        start = time.perf_counter()
        try:
            with _bounded(BOUND):
                redos.attack(PATTERNS[key], case, SIZE)
        except _TooSlowError:
            pytest.fail(f"{key} ran past {BOUND} s on its attacks")
        assert time.perf_counter() - start < BOUND
