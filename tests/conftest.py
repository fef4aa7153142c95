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
settings.load_profile("ci" if os.environ.get("CI") else "revtrack")
