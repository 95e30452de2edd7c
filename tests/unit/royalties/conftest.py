"""Fixtures for the Royalties unit tests (helpers live in helpers.py).

The pool fixtures (tests/fixtures/pool.py) deploy one collection with an EOA council.
Royalty weights come from pooled patents: `driver.pooled` walks a patent from submission
to the pool, and its contributor receives BPC, which is what fees are paid in.
`licensee_pays` pays a fee; `shares` reads what the provider, the centre and the fund hold.
"""

import functools
from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import Role
from tests.fixtures.pool import PoolDriver
from tests.unit.royalties.helpers import pay

PATENT = "11234567"
PATENT2 = "22345678"
FeePayer = Callable[[int], Any]
Shares = Callable[[], tuple[int, int, int]]


@pytest.fixture
def pooled(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The provider's patent, rated 80 and managed by the centre, in the pool."""
    return driver.pooled(provider, PATENT, score=80, centre=centre)


@pytest.fixture
def pooled2(driver: PoolDriver, provider2: Any, pooled: bytes) -> bytes:
    """A second provider's patent, rated 60 and without a centre, pooled after `pooled`."""
    return driver.pooled(provider2, PATENT2, score=60)


@pytest.fixture
def self_managed(
    driver: PoolDriver, pool_alliance: Any, pool_council: Any, provider2: Any
) -> bytes:
    """provider2, made a trusteeship centre, pools its patent (rated 60) under no mandate
    (Mandates refuses a contributor as its own centre): it manages its own patent."""
    pool_alliance.grant_role(provider2, int(Role.TRUSTEESHIP_CENTRE), sender=pool_council)
    return driver.pooled(provider2, PATENT2, score=60)


@pytest.fixture
def licensee_pays(bpc: Any, royalties: Any, licensee: Any, provider: Any) -> FeePayer:
    """Pays a fee of `amount` as the licensee, in BPC the provider hands it; returns the tx."""
    return functools.partial(pay, bpc, royalties, licensee, source=provider)


@pytest.fixture
def shares(bpc: Any, royalties: Any, fund: Any, provider: Any, centre: Any) -> Shares:
    """Reads (the provider's claimable, the centre's claimable, the fund's BPC) now."""
    return lambda: (
        int(royalties.claimable(provider)),
        int(royalties.claimable(centre)),
        int(bpc.balanceOf(fund)),
    )


@pytest.fixture
def earners(provider: Any, provider2: Any, centre: Any, pooled2: bytes) -> tuple[Any, Any, Any]:
    """Who earns once both patents are pooled: provider (80), provider2 (60), the centre."""
    return provider, provider2, centre
