"""Licensing.buy: anyone buys a per-patent licence; a member's price goes to the licensed
patent (test_attack_fee_spread_over_the_pool.py), a non-member's price and the surcharge on
top of it to the fund."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.helpers import fund_buyer

YEAR = 365 * 24 * 3600
BPC = 10**18
PRICE = 10 * BPC


@pytest.fixture
def listing(driver: PoolDriver, licensing: Any, provider: Any, centre: Any) -> int:
    patent = driver.pooled(provider, "11234567", centre=centre)
    licensing.list_terms(patent, PRICE, YEAR, "terminals", "CN", sender=provider)
    return 1


def test_buy__by_a_non_member__pays_price_plus_surcharge_and_records_the_licence(
    chain: Any,
    licensing: Any,
    bpc: Any,
    royalties: Any,
    fund: Any,
    listing: int,
    provider: Any,
    licensee: Any,
) -> None:
    surcharge = PRICE * LICENSING.surcharge_bps // 10_000
    fund_buyer(bpc, provider, licensee, licensing, PRICE + surcharge)
    fund_before = bpc.balanceOf(fund)

    tx = licensing.buy(listing, sender=licensee)

    assert tx.return_value == 1
    record = licensing.licences(1)
    assert (record.listing, record.licensee, record.end - record.start) == (
        listing, licensee.address, YEAR
    )  # fmt: skip
    assert bpc.balanceOf(licensee) == 0
    assert royalties.fees_in() == 0
    # a non-member's licence fee enters the fund in full (whitepaper 3.3), with the surcharge
    assert bpc.balanceOf(fund) - fund_before == surcharge + PRICE
    assert licensing.is_licensed(1)
    event = tx.events.filter(licensing.LicenceBought)[0]
    assert (event.price, event.surcharge) == (PRICE, surcharge)


def test_buy__by_a_member__pays_no_surcharge(
    licensing: Any, bpc: Any, listing: int, provider: Any, provider2: Any
) -> None:
    fund_buyer(bpc, provider, provider2, licensing, PRICE)

    tx = licensing.buy(listing, sender=provider2)

    assert tx.events.filter(licensing.LicenceBought)[0].surcharge == 0
    assert bpc.balanceOf(provider2) == 0


def test_buy__after_its_term__is_no_longer_licensed(
    chain: Any, licensing: Any, bpc: Any, listing: int, provider: Any, provider2: Any
) -> None:
    fund_buyer(bpc, provider, provider2, licensing, PRICE)
    licensing.buy(listing, sender=provider2)

    chain.pending_timestamp += YEAR
    chain.mine()

    assert not licensing.is_licensed(1)


def test_buy__delisted_or_unknown_listing__reverts(
    licensing: Any, bpc: Any, listing: int, provider: Any, provider2: Any
) -> None:
    licensing.delist(listing, sender=provider)
    fund_buyer(bpc, provider, provider2, licensing, PRICE)

    for which in (listing, 99):
        with ape.reverts("licensing: no active listing"):
            licensing.buy(which, sender=provider2)


def test_buy__patent_left_the_pool__reverts(
    licensing: Any,
    bpc: Any,
    patent_pool: Any,
    listing: int,
    provider: Any,
    provider2: Any,
    pool_council: Any,
) -> None:
    patent_pool.remove(licensing.listings(listing).patent, int(Removal.SOLD), sender=pool_council)
    fund_buyer(bpc, provider, provider2, licensing, PRICE)

    with ape.reverts("licensing: patent is no longer pooled"):
        licensing.buy(listing, sender=provider2)


def test_buy__without_allowance__reverts(
    licensing: Any, bpc: Any, listing: int, provider: Any, provider2: Any
) -> None:
    bpc.transfer(provider2, PRICE, sender=provider)

    with ape.reverts("erc20: insufficient allowance"):
        licensing.buy(listing, sender=provider2)
