"""Issue 15, finding 5: one centre takes the whole centres' share.

The centres' 10% of a fee used to be divided over the weight of the patents that name a
centre only, so the one centre of a pool where most patents have none took the whole
10%. A centre earns its patents' share of the whole pool's weight; a patent without a
centre keeps its centre share with its contributor, who manages it itself (whitepaper
4.3 (4): a centre's part of the proceeds comes from its agreement with the provider).
"""

from fractions import Fraction
from typing import Any

import pytest

from bpsa.core.codes import Removal, Role
from tests.fixtures.pool import PARAMS, PoolDriver
from tests.unit.royalties.helpers import BPC, REFERENCE

PATENT = "11234567"
MANAGED = "22345678"
FEE = 1_000 * BPC


def pay_fee(bpc: Any, royalties: Any, payer: Any, fund_bpc: Any, fee: int = FEE) -> None:
    """`payer` receives `fee` in BPC, approves Royalties and pays it."""
    fund_bpc(payer, fee)
    bpc.approve(royalties, fee, sender=payer)
    royalties.pay(fee, REFERENCE, sender=payer)


@pytest.fixture
def small_centre(driver: PoolDriver, provider: Any, provider2: Any, centre: Any) -> Any:
    """A pool of weight 160 in which the centre manages only provider2's patent (60); the
    provider's (100) has no trusteeship centre. Returns the centre."""
    driver.pooled(provider, PATENT, score=100)  # no trusteeship centre
    driver.pooled(provider2, MANAGED, score=60, centre=centre)
    return centre


def test_pay__centre_manages_60_of_160_weight__takes_37_5_of_the_100_centre_share(
    bpc: Any,
    royalties: Any,
    fund: Any,
    provider: Any,
    provider2: Any,
    small_centre: Any,
    licensee: Any,
    fund_bpc: Any,
) -> None:
    centre = small_centre
    fund_before = bpc.balanceOf(fund)

    pay_fee(bpc, royalties, licensee, fund_bpc)

    # 100 BPC to the centres' side: 60/160 of it is the centre's patent's, 100/160 the
    # self-managed patent's, which its contributor keeps.
    assert royalties.claimable(centre) == 37_500 * BPC // 1_000
    assert royalties.claimable(provider) == 437_500 * BPC // 1_000 + 62_500 * BPC // 1_000
    assert royalties.claimable(provider2) == 262_500 * BPC // 1_000
    assert bpc.balanceOf(fund) - fund_before == 200 * BPC


def test_pay__the_only_centre_of_a_pool__never_earns_more_than_its_patents_weight_share(
    bpc: Any, royalties: Any, small_centre: Any, licensee: Any, fund_bpc: Any
) -> None:
    # The attacker's way in: a centre that manages one small patent in a large pool.
    centre = small_centre

    for _ in range(3):
        pay_fee(bpc, royalties, licensee, fund_bpc)

    centres_share = 3 * FEE * 1_000 // 10_000
    assert royalties.claimable(centre) <= centres_share * 60 // 160
    assert royalties.claim(sender=centre).return_value == centres_share * 60 // 160


def test_claims__centre_also_contributes_and_weights_move__conserve_to_the_wei(
    chain: Any,
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    pool_alliance: Any,
    pool_council: Any,
    fund: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
    fund_bpc: Any,
) -> None:
    # provider2 is a centre too: it manages the provider's patent and keeps its own.
    pool_alliance.grant_role(provider2, int(Role.TRUSTEESHIP_CENTRE), sender=pool_council)
    managed = driver.pooled(provider, PATENT, score=100, centre=provider2)
    driver.pooled(provider2, MANAGED, score=60)
    driver.pooled(provider, "33456789", score=70, centre=centre)
    fund_before = bpc.balanceOf(fund)
    fees = [FEE + 7, 13, 1, 3 * FEE + 11]

    pay_fee(bpc, royalties, licensee, fund_bpc, fees[0])
    pay_fee(bpc, royalties, licensee, fund_bpc, fees[1])
    chain.pending_timestamp += PARAMS.rerate_interval
    driver.rate(managed, score=65)  # re-rated: the managed weight moves with it
    pay_fee(bpc, royalties, licensee, fund_bpc, fees[2])
    patent_pool.remove(managed, int(Removal.SOLD), sender=pool_council)
    pay_fee(bpc, royalties, licensee, fund_bpc, fees[3])

    paid = {who: royalties.claim(sender=who).return_value for who in (provider, provider2, centre)}
    to_fund = bpc.balanceOf(fund) - fund_before
    assert royalties.fees_in() == sum(fees)
    assert to_fund == royalties.paid_to_fund()
    dust = sum(fees) - to_fund - sum(paid.values())
    assert dust == bpc.balanceOf(royalties)  # what no one can claim stays, nothing more
    assert 0 <= dust <= 9  # a wei a settlement: 3 weight changes of 2 accounts, 3 claims
    # the centre: the centres' share of each fee times 70 over the whole pool's weight
    weights = [230, 230, 195, 130]
    fair = Fraction(
        sum(Fraction(fee * 1_000 // 10_000 * 70, w) for fee, w in zip(fees, weights, strict=True))
    )
    assert fair - 2 <= paid[centre] <= fair
