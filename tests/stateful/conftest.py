"""Hypothesis profiles for the stateful tests.

`ci` (the default, what the project's test command runs: 15 examples of 40 steps per
machine) keeps this folder to about a minute and a half on two cores when nothing fails (it has
seven machines); `long` (HYPOTHESIS_PROFILE=long: 2,000 examples of 60 steps) is the
search for new failures, for a nightly job or before a release. `ci` was 30 examples
until issue 17: this folder had become a fifth of the suite's time. The profile is
applied to the state machines' own test cases (see `active_settings`), so hypothesis
tests elsewhere keep their own settings.

When a machine finds a failure, hypothesis shrinks it before reporting; with a real EVM
under every step that can take a few minutes. The failing example is saved in
`.hypothesis/` and replayed first on the next run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
PROFILES = ("ci", "long")

_base = settings(
    deadline=None,  # a step is a handful of EVM transactions; its time is not the test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,  # a failure prints @reproduce_failure(...) to replay it exactly
)

settings.register_profile("ci", _base, max_examples=15, stateful_step_count=40)
settings.register_profile("long", _base, max_examples=2_000, stateful_step_count=60)


def active_profile() -> str:
    """The profile named by HYPOTHESIS_PROFILE; `ci` when unset or not one of ours."""
    name = os.environ.get(PROFILE_VARIABLE, "ci")
    return name if name in PROFILES else "ci"


def active_settings() -> settings:
    return settings.get_profile(active_profile())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stateful: hypothesis state machines compared with a Python model"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a state machine, for long: marked `stateful` and
    `slow`."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.stateful)
            item.add_marker(pytest.mark.slow)
