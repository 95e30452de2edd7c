"""The SDK leaves the rules to the contracts: it simulates a call, maps the contract's
reason to its exception, and sends nothing when the call would revert (issue 16)."""

import pytest

from bpsa.core.codes import Role
from bpsa.core.errors import PoolError
from bpsa.sdk.pool import Pool
from tests.fixtures.pool import REASONING, VALUATION

ONE = 10**18


@pytest.fixture
def pool_sdk(pool_contracts, pool_alliance):
    return Pool(pool_contracts, pool_alliance)


def test_rate__expert_is_the_patents_centre__refused_nothing_sent(
    chain, driver, pool_sdk, pool_alliance, pool_council, provider, centre
):
    """The SDK's own copy of `rate`'s rules lacked this check (issue 16): the contract's
    reason now comes back before anything is sent."""
    pool_alliance.grant_role(centre.address, int(Role.EXPERT), sender=pool_council)
    patent = driver.submit(provider, "7000001")
    driver.mandate(patent, provider, centre)  # the centre manages it under a mandate
    driver.certify(provider, "7000001")
    height = chain.blocks.height

    with pytest.raises(PoolError, match="rate a patent its own trusteeship centre manages"):
        pool_sdk.rate(centre, patent, 80, VALUATION, REASONING)

    assert chain.blocks.height == height


def test_pay__balance_short__refused_before_the_approval(chain, pool_sdk, licensee):
    height = chain.blocks.height

    with pytest.raises(PoolError, match="holds 0 BPC, less than 10"):
        pool_sdk.pay(licensee, 10 * ONE, bytes(32))

    assert chain.blocks.height == height


def test_pay__allowance_short__approves_exactly_the_fee_then_pays(
    chain, driver, pool_sdk, patent_pool, bpc, royalties, provider
):
    driver.pooled(provider, "7000002")
    fee = 10 * ONE
    before = int(bpc.balanceOf(provider))

    pool_sdk.pay(provider, fee, bytes(32))

    assert int(bpc.balanceOf(provider)) == before - fee
    assert int(bpc.allowance(provider, royalties.address)) == 0  # exactly the fee, all spent
