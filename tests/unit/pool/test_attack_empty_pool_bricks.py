"""Issue 15, finding 6: the pool bricks once every patent has left.

When the last pooled patent leaves, the pooled value is 0 while BPC stays outstanding
(holders keep theirs; a fee's rounding dust sits in Royalties; a burn must leave at least
one BPC), and minting at NAV divided by that zero value: `pool` reverted for ever. The
outstanding BPC now claims nothing, so the next patent mints at the initial NAV, or more
where needed so that the valueless supply is at most a millionth of the new patent: its
contributor holds at least (1 - 10^-6) of the pool.
"""

from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus
from tests.fixtures.pool import VALUATION, PoolDriver
from tests.fixtures.suite import at
from tests.unit.pool.helpers import ONE, OTHER_NUMBER

MILLIONTH = 10**6


@pytest.fixture
def emptied(
    chain: Any, patent_pool: Any, attacker: Any, cert: certs.Certificate, pooled: bytes
) -> bytes:
    """The only pooled patent, expired (past any grace period): the pool holds nothing,
    while its contributor's 500 BPC stay outstanding."""
    at(chain, cert.expiry + 365 * 86_400)
    patent_pool.expire(pooled, sender=attacker)
    return pooled


def test_pool__every_patent_left_with_bpc_outstanding__next_contributor_holds_the_pool(
    driver: PoolDriver, patent_pool: Any, bpc: Any, provider2: Any, emptied: bytes
) -> None:
    assert (patent_pool.pooled_value(), patent_pool.pooled_count()) == (0, 0)
    outstanding = bpc.totalSupply()
    assert outstanding == 500 * ONE  # the provider's, worth nothing now

    patent = driver.pooled(provider2, OTHER_NUMBER, valuation=VALUATION)

    assert patent_pool.patents(patent).status == PatentStatus.POOLED
    held, supply = bpc.balanceOf(provider2), bpc.totalSupply()
    assert patent_pool.pooled_value() == VALUATION
    # the new contributor's share of the pool: at least (1 - 10^-6)
    assert held * MILLIONTH >= supply * (MILLIONTH - 1)
    assert held == outstanding * MILLIONTH  # 500 BPC valueless: diluted to a millionth
    assert patent_pool.nav() == VALUATION * ONE // supply


def test_pool__every_patent_left_with_dust_outstanding__mints_at_the_initial_nav(
    driver: PoolDriver, patent_pool: Any, bpc: Any, provider: Any, provider2: Any, emptied: bytes
) -> None:
    bpc.burn(bpc.balanceOf(provider) - ONE, sender=provider)  # the burn floor: 1 BPC left
    valuation = 10**30  # 10^12 USD: 10^10 BPC at the initial NAV, over 10^6 x the 1 BPC left

    patent = driver.pooled(provider2, OTHER_NUMBER, valuation=valuation)

    minted = bpc.balanceOf(provider2)
    assert minted == valuation * ONE // patent_pool.INITIAL_NAV()
    assert minted * MILLIONTH >= bpc.totalSupply() * (MILLIONTH - 1)
    assert patent_pool.patents(patent).status == PatentStatus.POOLED


def test_mint_amount__no_pooled_value_with_bpc_outstanding__the_larger_of_the_two(
    patent_pool: Any, bpc: Any, emptied: bytes
) -> None:
    supply = bpc.totalSupply()

    assert patent_pool.mint_amount(VALUATION) == supply * MILLIONTH
    big = 10**33
    assert patent_pool.mint_amount(big) == big * ONE // patent_pool.INITIAL_NAV()
