"""Exchange.revoke_mandate: the contributor of record ends an agent's mandate at will (or the
agent renounces it), which cancels the open listing the agent made under it; and a
listing made under a mandate is checked again at purchase: the mandate still in force, in
the same tenure, at a floor the price meets."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.unit.exchange.helpers import (
    AGREEMENT,
    ASSIGNMENT,
    BELOW_FLOOR,
    CANCELLED,
    DURATION,
    EXCLUSIVE_LICENCE,
    FIELD,
    MANDATE_EXPIRED,
    NO_MANDATE,
    NO_OPEN_LISTING,
    NOT_REVOKER,
    OPEN,
    PRICE,
    SOLD,
    TERRITORY,
    TO_SELLER,
)


@pytest.mark.parametrize("by", ["provider", "centre"])
def test_revoke_mandate__by_the_contributor_or_the_agent__ends_it_and_cancels_its_listing(
    exchange: Any, lot: bytes, agent_listing: int, actors: dict[str, Any], by: str
) -> None:
    centre = actors["centre"]

    tx = exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=actors[by])

    assert exchange.mandate(lot, centre, ASSIGNMENT).floor_price == 0
    assert exchange.listings(agent_listing).state == CANCELLED
    assert exchange.open_listing(lot) == 0
    assert tx.events.filter(exchange.MandateRevoked) == [
        exchange.MandateRevoked(
            patent=lot, agent=centre.address, kind=ASSIGNMENT, by=actors[by].address
        )
    ]
    with ape.reverts("exchange: only the patent's contributor or an agent it mandated lists it"):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_revoke_mandate__contributors_own_listing__stays_open(
    exchange: Any, lot: bytes, mandate: int, provider: Any, centre: Any
) -> None:
    own = exchange.list_assignment(lot, PRICE, sender=provider).return_value

    exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)

    assert exchange.listings(own).state == OPEN


def test_revoke_mandate__other_kind__leaves_the_agents_listing_open(
    exchange: Any, lot: bytes, mandate: int, provider: Any, centre: Any
) -> None:
    exchange.grant_mandate(lot, centre, EXCLUSIVE_LICENCE, PRICE, mandate, sender=provider)
    listing = exchange.list_exclusive(
        lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=centre
    ).return_value

    exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)

    assert exchange.listings(listing).state == OPEN


@pytest.mark.parametrize("caller", ["attacker", "provider2", "pool_council"])
def test_revoke_mandate__by_anyone_else__reverts(
    exchange: Any, lot: bytes, mandate: int, actors: dict[str, Any], caller: str
) -> None:
    with ape.reverts(NOT_REVOKER):
        exchange.revoke_mandate(lot, actors["centre"], ASSIGNMENT, sender=actors[caller])


def test_revoke_mandate__none_given__reverts(
    exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    with ape.reverts(NO_MANDATE):
        exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=provider)


def test_buy__under_a_mandate__the_contributor_is_paid_and_the_buyer_holds_the_patent(
    exchange: Any,
    patent_pool: Any,
    bpc: Any,
    lot: bytes,
    agent_listing: int,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    listing = agent_listing
    pay(provider2)
    before = {who: bpc.balanceOf(who) for who in (provider, centre)}

    exchange.buy(listing, sender=provider2)

    assert exchange.listings(listing).state == SOLD
    assert patent_pool.patents(lot).contributor == provider2.address
    assert bpc.balanceOf(provider) - before[provider] == TO_SELLER
    assert bpc.balanceOf(centre) == before[centre]  # the agent's fee is a matter between them


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param("expired", MANDATE_EXPIRED, id="mandate_expired_since_the_listing"),
        pytest.param("higher floor", BELOW_FLOOR, id="mandate_granted_again_with_a_higher_floor"),
        pytest.param("renounced", NO_OPEN_LISTING, id="mandate_renounced_by_the_agent"),
    ],
)
def test_buy__the_agents_mandate_changed_since_the_listing__reverts(
    chain: Any,
    exchange: Any,
    lot: bytes,
    mandate: int,
    agent_listing: int,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
    change: str,
    reason: str,
) -> None:
    pay(provider2)
    if change == "expired":
        chain.pending_timestamp = mandate  # its expiry
    elif change == "higher floor":
        exchange.grant_mandate(lot, centre, ASSIGNMENT, 2 * PRICE, mandate, sender=provider)
    else:  # the listing is gone with it
        exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=centre)

    with ape.reverts(reason):
        exchange.buy(agent_listing, sender=provider2)
