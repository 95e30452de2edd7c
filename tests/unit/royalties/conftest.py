"""Fixtures for the Royalties unit tests (helpers live in helpers.py).

The pool fixtures (tests/fixtures/pool.py) deploy one collection with an EOA council.
Royalty weights come from pooled patents: `driver.pooled` walks a patent from submission
to the pool, and its contributor receives BPC, which is what fees are paid in.
"""

from typing import Any

import pytest

from tests.fixtures.pool import PoolDriver

PATENT = "11234567"
PATENT2 = "22345678"


@pytest.fixture
def pooled(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The provider's patent, rated 80 and managed by the centre, in the pool."""
    return driver.pooled(provider, PATENT, score=80, centre=centre)


@pytest.fixture
def pooled2(driver: PoolDriver, provider2: Any, pooled: bytes) -> bytes:
    """A second provider's patent, rated 60 and without a centre, pooled after `pooled`."""
    return driver.pooled(provider2, PATENT2, score=60)
