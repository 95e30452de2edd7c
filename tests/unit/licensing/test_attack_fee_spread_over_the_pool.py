"""Issue 17, point 3: a per-patent licence fee reaches the patent that earned it.

The attack it guards against: a member with a large pooled patent collected most of every
fee a smaller patent earned. A per-patent price went into the whole pool's royalty split,
so the SME, whose patent rates 90 to the start-up's 60, took 60% of the contributors' and
centres' shares of a licence on the start-up's patent. Now the price goes to that patent
alone (Royalties.pay_for): its contributor, its trusteeship centre and the fund's share;
no other contributor's claim moves. And a non-member's fee (whitepaper 3.3: "the license
fee entering the BIPF fund") goes to the fund in full, with its surcharge.
"""

from typing import Any

import pytest

from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import PARAMS, PoolDriver
from tests.unit.licensing.helpers import fund_buyer

YEAR = 365 * 24 * 3600
BPC = 10**18
PRICE = 10 * BPC


@pytest.fixture
def patents(driver: PoolDriver, provider: Any, provider2: Any, centre: Any) -> tuple[bytes, bytes]:
    """The start-up's patent (score 60, managed by the centre), and the SME's (score 90)."""
    small = driver.pooled(provider, "11234567", score=60, centre=centre)
    large = driver.pooled(provider2, "11876543", score=90)
    return small, large


@pytest.fixture
def listing(licensing: Any, provider: Any, patents: tuple[bytes, bytes]) -> int:
    licensing.list_terms(patents[0], PRICE, YEAR, "terminals", "CN", sender=provider)
    return 1


def test_buy__by_a_member__the_licensed_patent_alone_earns_the_price(
    licensing: Any,
    royalties: Any,
    bpc: Any,
    fund: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    enterprise: Any,
    listing: int,
    patents: tuple[bytes, bytes],
) -> None:
    fund_buyer(bpc, provider, enterprise, licensing, PRICE)
    before = {a: royalties.claimable(a) for a in (provider, provider2, centre)}
    fund_before = bpc.balanceOf(fund)

    tx = licensing.buy(listing, sender=enterprise)

    to_fund = PRICE * PARAMS.fund_bps // 10_000
    to_centre = PRICE * PARAMS.centre_bps // 10_000
    to_contributor = PRICE - to_fund - to_centre
    assert royalties.claimable(provider) - before[provider] == to_contributor
    assert royalties.claimable(centre) - before[centre] == to_centre
    assert royalties.claimable(provider2) == before[provider2]  # the larger patent: nothing
    assert bpc.balanceOf(fund) - fund_before == to_fund
    assert tx.events.filter(royalties.PatentRoyaltyPaid) == [
        royalties.PatentRoyaltyPaid(
            payer=licensing.address,
            patent=patents[0],
            reference=listing.to_bytes(32, "big"),
            amount=PRICE,
            contributor=provider.address,
            to_contributor=to_contributor,
            centre=centre.address,
            to_centre=to_centre,
            to_fund=to_fund,
        )
    ]
    assert tx.events.filter(royalties.RoyaltyPaid) == []  # nothing over the pool
    assert (royalties.fees_in(), royalties.credited_to_patents()) == (PRICE, PRICE - to_fund)


def test_buy__patent_without_a_centre__its_contributor_takes_the_centre_part(
    licensing: Any,
    royalties: Any,
    bpc: Any,
    provider: Any,
    provider2: Any,
    enterprise: Any,
    patents: tuple[bytes, bytes],
) -> None:
    licensing.list_terms(patents[1], PRICE, YEAR, "terminals", "CN", sender=provider2)
    fund_buyer(bpc, provider, enterprise, licensing, PRICE)
    before = royalties.claimable(provider2)

    tx = licensing.buy(1, sender=enterprise)

    to_fund = PRICE * PARAMS.fund_bps // 10_000
    assert royalties.claimable(provider2) - before == PRICE - to_fund
    event = tx.events.filter(royalties.PatentRoyaltyPaid)[0]
    assert (event.centre, event.to_centre) == ("0x" + "00" * 20, 0)


def test_buy__by_a_non_member__price_and_surcharge_to_the_fund_in_full(
    licensing: Any,
    royalties: Any,
    bpc: Any,
    fund: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
    listing: int,
) -> None:
    surcharge = PRICE * LICENSING.surcharge_bps // 10_000
    fund_buyer(bpc, provider, licensee, licensing, PRICE + surcharge)
    before = {a: royalties.claimable(a) for a in (provider, provider2, centre)}
    fund_before = bpc.balanceOf(fund)

    tx = licensing.buy(listing, sender=licensee)

    assert bpc.balanceOf(fund) - fund_before == PRICE + surcharge
    assert {a: royalties.claimable(a) for a in before} == before
    assert royalties.fees_in() == 0
    assert tx.events.filter(licensing.FeeToFund) == [
        licensing.FeeToFund(
            payer=licensee.address,
            reference=listing.to_bytes(32, "big"),
            fee=PRICE,
            surcharge=surcharge,
        )
    ]
    assert (licensing.fees_to_fund(), licensing.surcharges_to_fund()) == (PRICE, surcharge)
    assert licensing.fees_to_royalties() == 0


def test_register_batch__by_a_member__fee_split_over_the_whole_pool_by_rating(
    licensing: Any,
    royalties: Any,
    bpc: Any,
    provider: Any,
    provider2: Any,
    enterprise: Any,
    patents: tuple[bytes, bytes],
) -> None:
    """A device licence licenses every pooled patent: its fee is the pool's, by rating."""
    count = 10**6  # beyond the enterprise's free allowance
    fee = int(licensing.device_fee(enterprise, count))
    assert fee > 0
    fund_buyer(bpc, provider, enterprise, licensing, fee)
    before = {a: royalties.claimable(a) for a in (provider, provider2)}

    tx = licensing.register_batch(b"\x01" * 32, b"\x02" * 32, count, sender=enterprise)

    assert tx.events.filter(royalties.RoyaltyPaid)[0].amount == fee
    gained = {a: royalties.claimable(a) - before[a] for a in before}
    # by rating weight: 60 to 90 of the contributors' and centres' shares
    pooled_share = fee - fee * PARAMS.fund_bps // 10_000
    assert abs(gained[provider2] - pooled_share * 90 // 150) <= 2
    assert gained[provider] < gained[provider2]
