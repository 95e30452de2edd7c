"""Fund.claim: the council collects the royalties the fund earns as a contributor."""

from typing import Any

import ape

from bpsa.core.codes import Source
from tests.fixtures.pool import PoolDriver

PURCHASED = "22222222"
BPC = 10**18


def _fund_patent_earning(
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    fund: Any,
    council: Any,
    provider: Any,
    licensee: Any,
) -> int:
    """A purchased patent pooled with the fund as contributor, and a fee paid: its share."""
    driver.pooled(provider)  # the provider's BPC pay the fee
    patent = driver.submit(provider, PURCHASED, source=Source.PURCHASED)
    driver.certify(provider, PURCHASED, owner=fund)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=council)
    bpc.transfer(licensee, 10 * BPC, sender=provider)
    bpc.approve(royalties, 10 * BPC, sender=licensee)
    royalties.pay(10 * BPC, b"\x01" * 32, sender=licensee)
    return int(royalties.claimable(fund))


def test_claim__by_the_council__moves_the_funds_royalties_into_the_fund(
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    fund: Any,
    pool_council: Any,
    provider: Any,
    licensee: Any,
) -> None:
    earned = _fund_patent_earning(
        driver, bpc, royalties, patent_pool, fund, pool_council, provider, licensee
    )
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
