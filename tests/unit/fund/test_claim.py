"""Fund.claim: the council collects the royalties the fund earns as a contributor."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.royalties.helpers import BPC, pay

PURCHASED = "22222222"


@pytest.fixture
def earned(
    driver: PoolDriver, bpc: Any, royalties: Any, fund: Any, provider: Any, licensee: Any
) -> int:
    """A purchased patent pooled with the fund as contributor, and a fee paid: the fund's
    claimable share."""
    driver.pooled(provider)  # the provider's BPC pay the fee
    driver.pooled_purchase(fund, PURCHASED, certifier=provider)
    pay(bpc, royalties, licensee, 10 * BPC, source=provider)
    return int(royalties.claimable(fund))


def test_claim__by_the_council__moves_the_funds_royalties_into_the_fund(
    bpc: Any, royalties: Any, fund: Any, pool_council: Any, earned: int
) -> None:
    assert earned > 0
    before = bpc.balanceOf(fund)

    tx = fund.claim(royalties, sender=pool_council)

    assert bpc.balanceOf(fund) == before + earned
    assert royalties.claimable(fund) == 0
    assert tx.events.filter(fund.RoyaltiesCollected) == [
        fund.RoyaltiesCollected(royalties=royalties.address, amount=earned)
    ]


def test_claim__by_anyone_else__reverts(fund: Any, royalties: Any, attacker: Any) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        fund.claim(royalties, sender=attacker)


def test_claim__nothing_earned__reverts_with_the_royalties_reason(
    fund: Any, royalties: Any, pool_council: Any
) -> None:
    with ape.reverts("royalties: nothing to claim"):
        fund.claim(royalties, sender=pool_council)
