"""Exchange.revoke_mandate: the contributor of record ends an agent's mandate at will (or the
agent renounces it), which cancels the open listing the agent made under it; and a
listing made under a mandate is checked again at purchase: the mandate still in force, in
the same tenure, at a floor the price meets."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.unit.exchange.helpers import (
    ASSIGNMENT,
    BELOW_FLOOR,
    CANCELLED,
    DURATION,
    EXCLUSIVE_LICENCE,
    FIELD,
    MANDATE_EXPIRED,
    MANDATE_TERM,
    NO_MANDATE,
    NO_OPEN_LISTING,
    NOT_REVOKER,
    OPEN,
    PRICE,
    SOLD,
    TERRITORY,
    TO_SELLER,
)


def _mandated(chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any) -> int:
    """The provider mandates the centre to sell the assignment at PRICE or more for
    MANDATE_TERM. Returns the mandate's expiry."""
    expiry = int(chain.pending_timestamp) + MANDATE_TERM
    exchange.grant_mandate(lot, centre, ASSIGNMENT, PRICE, expiry, sender=provider)
    return expiry


@pytest.mark.parametrize("by", ["provider", "centre"])
def test_revoke_mandate__by_the_contributor_or_the_agent__ends_it_and_cancels_its_listing(
    chain: Any, exchange: Any, lot: bytes, actors: dict[str, Any], by: str
) -> None:
    provider, centre = actors["provider"], actors["centre"]
    _mandated(chain, exchange, lot, provider, centre)
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value

    tx = exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=actors[by])

    assert exchange.mandate(lot, centre, ASSIGNMENT).floor_price == 0
    assert exchange.listings(listing).state == CANCELLED
    assert exchange.open_listing(lot) == 0
    assert tx.events.filter(exchange.MandateRevoked) == [
        exchange.MandateRevoked(
            patent=lot, agent=centre.address, kind=ASSIGNMENT, by=actors[by].address
        )
    ]
    with ape.reverts("exchange: only the patent's contributor or an agent it mandated lists it"):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_revoke_mandate__contributors_own_listing__stays_open(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    _mandated(chain, exchange, lot, provider, centre)
    own = exchange.list_assignment(lot, PRICE, sender=provider).return_value

    exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)

    assert exchange.listings(own).state == OPEN


def test_revoke_mandate__other_kind__leaves_the_agents_listing_open(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    expiry = _mandated(chain, exchange, lot, provider, centre)
    exchange.grant_mandate(lot, centre, EXCLUSIVE_LICENCE, PRICE, expiry, sender=provider)
    listing = exchange.list_exclusive(
        lot, PRICE, DURATION, FIELD, TERRITORY, sender=centre
    ).return_value

    exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)

    assert exchange.listings(listing).state == OPEN


@pytest.mark.parametrize("caller", ["attacker", "provider2", "pool_council"])
def test_revoke_mandate__by_anyone_else__reverts(
    chain: Any, exchange: Any, lot: bytes, actors: dict[str, Any], caller: str
) -> None:
    _mandated(chain, exchange, lot, actors["provider"], actors["centre"])

    with ape.reverts(NOT_REVOKER):
        exchange.revoke_mandate(lot, actors["centre"], ASSIGNMENT, sender=actors[caller])


def test_revoke_mandate__none_given__reverts(
    exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    with ape.reverts(NO_MANDATE):
        exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)


def test_buy__under_a_mandate__the_contributor_is_paid_and_the_buyer_holds_the_patent(
    chain: Any,
    exchange: Any,
    patent_pool: Any,
    bpc: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    _mandated(chain, exchange, lot, provider, centre)
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value
    pay(provider2)
    before = {who: bpc.balanceOf(who) for who in (provider, centre)}

    exchange.buy(listing, sender=provider2)

    assert exchange.listings(listing).state == SOLD
    assert patent_pool.patents(lot).contributor == provider2.address
    assert bpc.balanceOf(provider) - before[provider] == TO_SELLER
    assert bpc.balanceOf(centre) == before[centre]  # the agent's fee is a matter between them


def test_buy__mandate_expired_since_the_listing__reverts(
    chain: Any,
    exchange: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    expiry = _mandated(chain, exchange, lot, provider, centre)
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value
    pay(provider2)
    chain.pending_timestamp = expiry

    with ape.reverts(MANDATE_EXPIRED):
        exchange.buy(listing, sender=provider2)


def test_buy__mandate_granted_again_with_a_higher_floor__reverts(
    chain: Any,
    exchange: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    expiry = _mandated(chain, exchange, lot, provider, centre)
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value
    exchange.grant_mandate(lot, centre, ASSIGNMENT, 2 * PRICE, expiry, sender=provider)
    pay(provider2)

    with ape.reverts(BELOW_FLOOR):
        exchange.buy(listing, sender=provider2)


def test_buy__mandate_renounced_by_the_agent__listing_gone(
    chain: Any,
    exchange: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    _mandated(chain, exchange, lot, provider, centre)
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value
    exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=centre)
    pay(provider2)

    with ape.reverts(NO_OPEN_LISTING):
        exchange.buy(listing, sender=provider2)
