"""Shared test configuration: a Hypothesis profile for shared machines."""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    import pytest

# These machines are shared and noisy: wall-clock limits would make tests
# flaky without saying anything about revtrack (speed is measured in
# bench/). Examples stay deterministic in CI via derandomize.
settings.register_profile(
    "revtrack",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("revtrack"),
    derandomize=True,
)
# `make mutation` runs the core tests once per mutant: few examples, the
# same ones every run, so a mutant's verdict does not depend on luck.
# mutmut runs pytest several times in one process, so a test class is
# instantiated afresh each time; that is what differing_executors flags.
settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    max_examples=10,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
    ],
)
settings.load_profile("ci" if os.environ.get("CI") else "revtrack")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under mutmut, run a mutant's fastest tests first.

    mutmut stops at the first failing test, and most mutants are caught by
    a quick unit test; in file order they would wait behind the slow
    properties. mutmut has already timed every test in its clean run.
    """
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    try:  # mutmut is installed only by `make mutation`
        mutmut_state = importlib.import_module("mutmut.state")
    except ImportError:
        return
    seconds = mutmut_state.state().duration_by_test
    items.sort(key=lambda item: seconds.get(item.nodeid, 0.0))
