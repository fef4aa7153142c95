"""Shared test configuration: a Hypothesis profile for shared machines."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
