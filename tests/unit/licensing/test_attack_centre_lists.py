"""Issue 15, review (finding 2's attack in Licensing): a trusteeship centre licenses the
patent without its owner.

Before the fix, the trusteeship centre a provider named at submission listed per-patent
licences of the provider's patent on its own, at any price: a 1-wei, 50-year worldwide
licence, which an accomplice bought in the next block, before the provider could delist
it. Now only the contributor lists, or an agent holding the contributor's
per-patent-licence mandate on the exchange (`Exchange.grant_mandate`, kind 3: a floor price
and an expiry; revoked at will; ended by a change of hands or a new life), and an agent's
listing sells only while that mandate stands at a floor the price meets."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.conftest import PER_PATENT_LICENCE, MandateGranter, PatentRemover

YEAR = 365 * 24 * 3600
BPC = 10**18
FLOOR = 5 * BPC
NO_MANDATE = "licensing: only the patent's contributor or an agent it mandated lists terms"


@pytest.fixture
def patent(driver: PoolDriver, provider: Any, centre: Any, exchange: Any) -> bytes:
    """The start-up's pooled patent, the non-profit centre its trusteeship centre; the
    exchange (named in Licensing) keeps the mandates."""
    return driver.pooled(provider, centre=centre)


@pytest.fixture
def accomplice_licensee(
    bpc: Any, licensing: Any, patent: bytes, provider: Any, attacker: Any
) -> Any:
    """A non-member with 20 BPC approved to Licensing, ready to buy."""
    bpc.transfer(attacker, 20 * BPC, sender=provider)
    bpc.approve(licensing, 20 * BPC, sender=attacker)
    return attacker


def test_list_terms__centre_without_a_mandate_lists_1_wei_for_50_years__reverts(
    licensing: Any, patent: bytes, centre: Any, accomplice_licensee: Any
) -> None:
    with ape.reverts(NO_MANDATE):
        licensing.list_terms(patent, 1, 50 * YEAR, "any", "worldwide", sender=centre)

    assert licensing.listing_count() == 0 and licensing.licence_count() == 0


def test_list_terms__centre_under_a_mandate__lists_at_the_floor_and_not_below(
    licensing: Any, patent: bytes, centre: Any, mandate_centre: MandateGranter
) -> None:
    mandate_centre(FLOOR)

    with ape.reverts("licensing: price below the mandate's floor"):
        licensing.list_terms(patent, FLOOR - 1, YEAR, "any", "worldwide", sender=centre)
    tx = licensing.list_terms(patent, FLOOR, YEAR, "any", "worldwide", sender=centre)

    assert licensing.listings(tx.return_value).lister == centre.address


@pytest.fixture
def agents_listing(
    licensing: Any, patent: bytes, centre: Any, mandate_centre: MandateGranter
) -> int:
    """The centre's listing at the floor, under the provider's mandate (30 days)."""
    mandate_centre(FLOOR)
    return int(licensing.list_terms(patent, FLOOR, YEAR, "any", "CN", sender=centre).return_value)


def test_buy__agents_listing_after_the_mandate_was_revoked__reverts(
    exchange: Any,
    licensing: Any,
    patent: bytes,
    provider: Any,
    centre: Any,
    accomplice_licensee: Any,
    agents_listing: int,
) -> None:
    exchange.revoke_mandate(patent, centre, PER_PATENT_LICENCE, sender=provider)

    with ape.reverts(NO_MANDATE):
        licensing.buy(agents_listing, sender=accomplice_licensee)


def test_buy__agents_listing_after_the_mandate_expired__reverts(
    chain: Any, licensing: Any, accomplice_licensee: Any, agents_listing: int
) -> None:
    chain.pending_timestamp += 31 * 24 * 3600

    with ape.reverts(NO_MANDATE):
        licensing.buy(agents_listing, sender=accomplice_licensee)


def test_buy__floor_raised_above_the_agents_price__reverts_and_sells_at_the_new_floor(
    licensing: Any,
    patent: bytes,
    centre: Any,
    mandate_centre: MandateGranter,
    accomplice_licensee: Any,
    agents_listing: int,
) -> None:
    mandate_centre(2 * FLOOR)  # the owner raises it

    with ape.reverts("licensing: price below the mandate's floor"):
        licensing.buy(agents_listing, sender=accomplice_licensee)
    dear = licensing.list_terms(patent, 2 * FLOOR, YEAR, "any", "EU", sender=centre).return_value
    licence = licensing.buy(dear, sender=accomplice_licensee).return_value
    assert licensing.licences(licence).licensee == accomplice_licensee.address


def test_list_terms__mandate_from_the_patents_earlier_life__reverts(
    driver: PoolDriver,
    licensing: Any,
    patent: bytes,
    provider: Any,
    centre: Any,
    mandate_centre: MandateGranter,
    take_out: PatentRemover,
) -> None:
    mandate_centre(FLOOR)
    take_out(patent)
    driver.pooled(provider, centre=centre)  # the same key, a new life: a new tenure

    with ape.reverts(NO_MANDATE):
        licensing.list_terms(patent, FLOOR, YEAR, "any", "worldwide", sender=centre)


def test_list_terms__another_agent_under_no_mandate_of_this_kind__reverts(
    chain: Any, exchange: Any, licensing: Any, patent: bytes, provider: Any, centre: Any
) -> None:
    """An assignment mandate (kind 1) lets the agent list the sale, not licences."""
    expiry = int(chain.pending_timestamp) + 30 * 24 * 3600
    exchange.grant_mandate(patent, centre, 1, FLOOR, expiry, sender=provider)

    with ape.reverts(NO_MANDATE):
        licensing.list_terms(patent, FLOOR, YEAR, "any", "worldwide", sender=centre)
