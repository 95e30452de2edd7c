"""Fixtures for the Coverage unit tests.

`stand_in` is a Coverage log whose pool is the account `pool_stand_in` (the outsider), so a
test appends to it directly; the session's own log (`coverage`) is appended to only by the
session pool, through the PatentPool driver of tests/fixtures/pool.py.
"""

from typing import Any

import pytest


@pytest.fixture
def pool_stand_in(outsider: Any) -> Any:
    """The account that stands in for PatentPool: the only one that appends to `stand_in`."""
    return outsider


@pytest.fixture
def stand_in(project: Any, deployer: Any, pool_stand_in: Any) -> Any:
    """An empty Coverage log appended to by `pool_stand_in`."""
    return project.Coverage.deploy(pool_stand_in, sender=deployer)
