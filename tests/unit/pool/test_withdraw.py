"""PatentPool.withdraw: a contributor takes back a patent that is not pooled yet."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal, Source
from tests.fixtures.pool import YEAR, PoolDriver
from tests.unit.pool.helpers import NUMBER

UNKNOWN = "pool: unknown patent"
TOO_LATE = "pool: only a patent not yet pooled can be withdrawn"
NOT_CONTRIBUTOR = "pool: only the contributor may withdraw"


@pytest.mark.parametrize("patent_at", ["submitted", "certified", "rated"], indirect=True)
def test_withdraw__contributor_before_pooling__withdraws_and_logs(
    patent_pool: Any, provider: Any, patent_at: bytes
) -> None:
    tx = patent_pool.withdraw(patent_at, sender=provider)

    assert patent_pool.patents(patent_at).status == PatentStatus.WITHDRAWN
    assert tx.events.filter(patent_pool.Withdrawn) == [patent_pool.Withdrawn(patent=patent_at)]


@pytest.mark.parametrize(
    "caller", ["provider2", "attacker", "pool_council", "centre"], indirect=True
)
def test_withdraw__not_the_contributor__reverts(
    patent_pool: Any, submitted: bytes, caller: Any
) -> None:
    with ape.reverts(NOT_CONTRIBUTOR):
        patent_pool.withdraw(submitted, sender=caller)


@pytest.fixture
def fund_patent(driver: PoolDriver, pool_council: Any) -> bytes:
    """A patent the council submitted for the fund (purchased)."""
    return driver.submit(pool_council, NUMBER, source=Source.PURCHASED)


def test_withdraw__fund_patent_by_the_council__withdraws(
    patent_pool: Any, pool_council: Any, fund_patent: bytes
) -> None:
    patent_pool.withdraw(fund_patent, sender=pool_council)

    assert patent_pool.patents(fund_patent).status == PatentStatus.WITHDRAWN


def test_withdraw__fund_patent_by_a_provider__reverts(
    patent_pool: Any, provider: Any, fund_patent: bytes
) -> None:
    with ape.reverts(NOT_CONTRIBUTOR):
        patent_pool.withdraw(fund_patent, sender=provider)


def test_withdraw__unknown_patent__reverts(patent_pool: Any, provider: Any) -> None:
    with ape.reverts(UNKNOWN):
        patent_pool.withdraw(certs.patent_id("US", "999"), sender=provider)


@pytest.fixture(params=["pooled", "removed", "expired", "withdrawn"])
def past_withdrawal(
    request: pytest.FixtureRequest,
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    pool_council: Any,
) -> bytes:
    """The provider's patent pooled, or at the end of a life."""
    patent: bytes = request.getfixturevalue("pooled")
    if request.param == "removed":
        patent_pool.remove(patent, int(Removal.SOLD), sender=pool_council)
    elif request.param == "expired":
        chain.pending_timestamp += 2 * YEAR
        patent_pool.expire(patent, sender=pool_council)
    elif request.param == "withdrawn":
        patent_pool.remove(patent, int(Removal.SOLD), sender=pool_council)
        driver.submit(provider, NUMBER)  # a second life, withdrawn at once
        patent_pool.withdraw(patent, sender=provider)
    assert patent_pool.patents(patent).status == PatentStatus[request.param.upper()]
    return patent


def test_withdraw__pooled_or_no_longer_registered__reverts(
    patent_pool: Any, provider: Any, past_withdrawal: bytes
) -> None:
    with ape.reverts(TOO_LATE):
        patent_pool.withdraw(past_withdrawal, sender=provider)
