"""Fixtures for the PatentPool unit tests: one contributed patent at each lifecycle step.

The pool, its council (an EOA) and the alliance come from tests/fixtures/pool.py.
Each fixture below takes the provider's patent `NUMBER` one step further, so a test
asks for the step it starts from: `submitted`, `certified` (with its certificate
`cert`), `rated` (score 80, `VALUATION`) or `pooled`.
"""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Role
from tests.fixtures.pool import VALUATION, PoolDriver
from tests.unit.pool.helpers import (
    NUMBER,
    ONE,
    OTHER_NUMBER,
    UNKNOWN_PATENT,
    AssertLeft,
    Holdings,
    attest,
)


@pytest.fixture
def grant(pool_alliance: Any, pool_council: Any) -> Callable[[Any, Role], Any]:
    """`grant(member, role)`: the council grants `member` the `role` too; returns it."""

    def _grant(member: Any, role: Role) -> Any:
        pool_alliance.grant_role(member, int(role), sender=pool_council)
        return member

    return _grant


@pytest.fixture
def submitted(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The provider's patent, submitted naming the trusteeship centre, which accepted the
    provider's mandate (a year, the whole centre share)."""
    patent = driver.submit(provider, NUMBER, centre=centre)
    driver.mandate(patent, provider, centre)
    return patent


@pytest.fixture
def cert(driver: PoolDriver, provider: Any, submitted: bytes) -> certs.Certificate:
    """The certificate (in force for a year) naming the provider, attested on chain."""
    return attest(driver, provider, NUMBER)


@pytest.fixture
def certified(driver: PoolDriver, submitted: bytes, cert: certs.Certificate) -> bytes:
    driver.pool.certify(submitted, sender=driver.oracles[0])
    return submitted


@pytest.fixture
def rated(driver: PoolDriver, certified: bytes) -> bytes:
    """Rated 80 (over the core threshold of 60) and valued at `VALUATION` by two experts."""
    driver.rate(certified, 80, VALUATION)
    return certified


@pytest.fixture
def pooled(driver: PoolDriver, rated: bytes, pool_council: Any) -> bytes:
    """Pooled first: 500 BPC minted to the provider at the initial NAV of 100."""
    driver.pool.pool(rated, sender=pool_council)
    return rated


@pytest.fixture
def other_pooled(driver: PoolDriver, provider2: Any, pooled: bytes) -> bytes:
    """A second pooled patent, the SME's, valued at twice `VALUATION` (1,000 BPC minted)."""
    return driver.pooled(provider2, OTHER_NUMBER, score=70, valuation=2 * VALUATION)


@pytest.fixture
def patent_at(request: pytest.FixtureRequest) -> bytes:
    """Parametrised indirectly with a step above (`submitted` ... `pooled`): the provider's
    patent at that step; with `unknown`: an id never submitted."""
    if request.param == "unknown":
        return UNKNOWN_PATENT
    patent: bytes = request.getfixturevalue(request.param)
    return patent


@pytest.fixture
def caller(request: pytest.FixtureRequest) -> Any:
    """Parametrised indirectly with an actor fixture's name: that actor, as the caller."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def assert_left_the_pool(
    patent_pool: Any,
    bpc: Any,
    royalties: Any,
    coverage: Any,
    provider: Any,
    pooled: bytes,
    other_pooled: bytes,
) -> AssertLeft:
    """`assert_left_the_pool(tx, status, event, **fields)`: in `tx`, the provider's patent
    (valued at `VALUATION`, one of two pooled) left with `status` and logged one `event`
    with `fields`: the pooled value and the NAV fell from what they were when this fixture
    was set up, no BPC was burned, its contributor's weight is gone, and the Coverage log
    recorded the end of its stay."""
    before = Holdings.read(patent_pool, bpc, provider)
    stay = coverage.stay_of(pooled)

    def _assert(tx: Any, status: PatentStatus, event: Any, **fields: Any) -> None:
        assert patent_pool.patents(pooled).status == status
        assert patent_pool.pooled_value() == before.value - VALUATION
        assert patent_pool.pooled_count() == 1
        assert patent_pool.nav() == (before.value - VALUATION) * ONE // before.supply
        assert bpc.totalSupply() == before.supply  # no BPC burned
        assert bpc.balanceOf(provider) == before.balance
        assert royalties.contributor_weight(provider) == 0
        assert tx.events.filter(event) == [
            event(
                patent=pooled,
                **fields,
                value_out=VALUATION,
                pooled_value=before.value - VALUATION,
            )
        ]
        assert stay[0] and coverage.stay_of(pooled) == (False, 0)
        [logged] = tx.events.filter(coverage.CoverageLogged)
        assert (logged.patent, logged.stay, logged.entering) == (pooled, stay[1], False)
        assert coverage.exit_of(stay[1]) == (True, logged.index)

    return _assert


@pytest.fixture
def exchange_stand_in(accounts: Any, patent_pool: Any, pool_council: Any) -> Any:
    """An account the council names as the pool's exchange."""
    patent_pool.set_exchange(accounts[11], sender=pool_council)
    return accounts[11]
