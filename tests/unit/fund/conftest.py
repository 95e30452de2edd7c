"""Fixtures for the Fund unit tests.

The fund is the session pool's (tests/fixtures/pool.py), owned by `pool_council`.
`funded` gives it BPC the ordinary way: a patent is pooled and its provider pays
`HELD` BPC to the fund.
"""

from typing import Any

import pytest

from tests.fixtures.pool import PoolDriver

HELD = 100 * 10**18


@pytest.fixture
def funded(driver: PoolDriver, bpc: Any, fund: Any, provider: Any) -> Any:
    """The fund, holding `HELD` BPC."""
    driver.pooled(provider)
    bpc.transfer(fund, HELD, sender=provider)
    return fund


@pytest.fixture
def caller(request: pytest.FixtureRequest) -> Any:
    """Parametrised indirectly with an actor fixture's name: that actor, as the caller."""
    return request.getfixturevalue(request.param)
