"""Issue 15, finding 8: licence listings survive an assignment.

Before the fix, after the provider sold its patent to a second provider, the provider's
1-wei 10-year listing stayed buyable, the new owner could not delist it, and it blocked
the new owner's exclusive licence of the same terms. Now a listing belongs to the
patent's tenure it was made in (PatentPool's `tenure_of`): it ends when the patent
changes hands or leaves the pool, for `buy`, for `open_listings` (which the exchange and
`record_exclusive` read) and for `is_open`; and the patent's current contributor may
withdraw any listing of its patent.

The exchange is stood in for by an account the council names in PatentPool and
Licensing (`set_exchange`)."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.conftest import MandateGranter, PatentRemover
from tests.unit.licensing.helpers import AGREEMENT

TEN_YEARS = 10 * 365 * 24 * 3600
BPC = 10**18
DEAD = "licensing: the listing ended when the patent changed hands"


@pytest.fixture
def exchange_stand_in(exchange_stand_in: Any, patent_pool: Any, pool_council: Any) -> Any:
    """Licensing's exchange stand-in (conftest.py), named as the pool's exchange too."""
    patent_pool.set_exchange(exchange_stand_in, sender=pool_council)
    return exchange_stand_in


@pytest.fixture
def patent(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The start-up's pooled patent, the non-profit centre its trusteeship centre."""
    return driver.pooled(provider, centre=centre)


@pytest.fixture
def accomplice_licensee(
    bpc: Any, licensing: Any, patent: bytes, provider: Any, attacker: Any
) -> Any:
    """A non-member with 1 BPC (from the provider's minted BPC) approved to Licensing,
    ready to buy at 1 wei."""
    bpc.transfer(attacker, BPC, sender=provider)
    bpc.approve(licensing, BPC, sender=attacker)
    return attacker


@pytest.fixture
def sold(
    licensing: Any,
    patent_pool: Any,
    patent: bytes,
    provider: Any,
    provider2: Any,
    exchange_stand_in: Any,
) -> bytes:
    """The start-up lists a 1-wei 10-year licence, then sells the patent to the SME."""
    licensing.list_terms(patent, 1, TEN_YEARS, "any", "worldwide", sender=provider)
    patent_pool.assign(patent, provider2, sender=exchange_stand_in)
    return patent


def test_buy__sellers_1_wei_listing_after_the_assignment__reverts(
    licensing: Any, sold: bytes, accomplice_licensee: Any
) -> None:
    assert not licensing.is_open(1)

    with ape.reverts(DEAD):
        licensing.buy(1, sender=accomplice_licensee)


def test_delist__new_owner_and_sellers_listing__withdrawn(
    licensing: Any, sold: bytes, provider2: Any
) -> None:
    tx = licensing.delist(1, sender=provider2)

    assert not licensing.listings(1).active
    assert tx.events.filter(licensing.Delisted) == [
        licensing.Delisted(listing=1, by=provider2.address)
    ]


def test_record_exclusive__sellers_listing_of_the_same_terms__does_not_block_the_new_owner(
    licensing: Any, sold: bytes, provider2: Any, enterprise: Any, exchange_stand_in: Any
) -> None:
    terms = licensing.terms_key(sold, "any", "worldwide")
    assert licensing.open_listings(terms) == 0

    tx = licensing.record_exclusive(
        sold, terms, enterprise, TEN_YEARS, AGREEMENT, sender=exchange_stand_in
    )

    assert tx.return_value == 1


def test_list_terms__new_owner_after_the_sale__its_own_listing_counts_and_sells(
    licensing: Any, bpc: Any, sold: bytes, provider2: Any, accomplice_licensee: Any
) -> None:
    terms = licensing.terms_key(sold, "any", "worldwide")
    licensing.list_terms(sold, 7, TEN_YEARS, "any", "worldwide", sender=provider2)

    assert licensing.open_listings(terms) == 1
    assert licensing.listings(2).tenure == licensing.listings(1).tenure + 1
    assert licensing.buy(2, sender=accomplice_licensee).return_value == 1
    licensing.delist(2, sender=provider2)
    assert licensing.open_listings(terms) == 0
    licensing.delist(1, sender=provider2)  # a dead listing's withdrawal counts nothing
    assert licensing.open_listings(terms) == 0


def test_buy__listing_of_a_patent_that_left_the_pool_and_came_back__reverts(
    driver: PoolDriver,
    licensing: Any,
    patent: bytes,
    provider: Any,
    accomplice_licensee: Any,
    take_out: PatentRemover,
) -> None:
    """The listing of the patent's first life is dead in its second life, though the
    same provider is its contributor again. (A second patent stays pooled so the pool
    keeps value: an emptied pool is finding 6's.)"""
    licensing.list_terms(patent, 1, TEN_YEARS, "any", "worldwide", sender=provider)
    take_out(patent)
    with ape.reverts("licensing: patent is no longer pooled"):
        licensing.buy(1, sender=accomplice_licensee)
    terms = licensing.terms_key(patent, "any", "worldwide")
    assert licensing.open_listings(terms) == 0

    driver.pooled(provider)  # the same key, a new life

    assert not licensing.is_open(1) and licensing.open_listings(terms) == 0
    with ape.reverts(DEAD):
        licensing.buy(1, sender=accomplice_licensee)


def test_delist__contributor__withdraws_its_centres_listing_and_the_centre_its_own(
    licensing: Any,
    patent: bytes,
    provider: Any,
    centre: Any,
    attacker: Any,
    mandate_centre: MandateGranter,
) -> None:
    mandate_centre(BPC, days=365)
    licensing.list_terms(patent, BPC, TEN_YEARS, "any", "CN", sender=centre)
    licensing.list_terms(patent, BPC, TEN_YEARS, "other", "CN", sender=centre)
    licensing.list_terms(patent, BPC, TEN_YEARS, "any", "EU", sender=provider)

    with ape.reverts("licensing: only the lister or the patent's contributor delists"):
        licensing.delist(3, sender=centre)  # the contributor's listing
    with ape.reverts("licensing: only the lister or the patent's contributor delists"):
        licensing.delist(1, sender=attacker)
    licensing.delist(1, sender=provider)
    licensing.delist(2, sender=centre)

    assert [licensing.is_open(i) for i in (1, 2, 3)] == [False, False, True]
