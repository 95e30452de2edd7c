"""Exchange.cancel: the lister, the patent's contributor of record or the council closes an
open listing."""

from collections.abc import Callable
from functools import partial
from typing import Any

import ape
import pytest

from tests.unit.exchange.helpers import (
    CANCELLED,
    NO_OPEN_LISTING,
    NOT_CANCELLER,
)
from tests.unit.ownership import assert_follows_the_owner


@pytest.mark.parametrize("canceller", ["provider", "pool_council"])
def test_cancel__by_the_lister_or_the_council__closes_the_listing(
    actors: dict[str, Any], exchange: Any, lot: bytes, assignment: int, canceller: str
) -> None:
    who = actors[canceller]

    tx = exchange.cancel(assignment, sender=who)

    assert exchange.listings(assignment).state == CANCELLED
    assert exchange.open_listing(lot) == 0
    event = tx.events.filter(exchange.Cancelled)[0]
    assert (event.listing, event.patent, event.by) == (assignment, lot, who.address)


@pytest.mark.parametrize("canceller", ["centre", "provider2", "attacker"])
def test_cancel__by_anyone_else__reverts(
    actors: dict[str, Any], exchange: Any, assignment: int, canceller: str
) -> None:
    # the centre manages the patent, but the provider listed it
    with ape.reverts(NOT_CANCELLER):
        exchange.cancel(assignment, sender=actors[canceller])


@pytest.mark.parametrize("canceller", ["provider", "centre"])
def test_cancel__listing_by_the_centre_under_a_mandate__the_contributor_or_the_centre_cancels(
    exchange: Any, lot: bytes, agent_listing: int, actors: dict[str, Any], canceller: str
) -> None:
    # Until issue 15 (finding 2) the provider could not cancel its centre's listing.
    exchange.cancel(agent_listing, sender=actors[canceller])

    assert exchange.listings(agent_listing).state == CANCELLED
    assert exchange.open_listing(lot) == 0


def test_cancel__cancelled_listing__reverts_and_cannot_be_bought(
    exchange: Any, assignment: int, pay: Callable[..., None], provider: Any, provider2: Any
) -> None:
    exchange.cancel(assignment, sender=provider)
    pay(provider2)

    with ape.reverts(NO_OPEN_LISTING):
        exchange.cancel(assignment, sender=provider)
    with ape.reverts(NO_OPEN_LISTING):
        exchange.buy(assignment, sender=provider2)


def test_cancel__sold_listing__reverts(
    exchange: Any, assignment: int, pay: Callable[..., None], provider: Any, provider2: Any
) -> None:
    pay(provider2)
    exchange.buy(assignment, sender=provider2)

    with ape.reverts(NO_OPEN_LISTING):
        exchange.cancel(assignment, sender=provider)


def test_cancel__exchange_handed_over__the_successor_cancels_not_the_old_council(
    exchange: Any, pool_council: Any, council_seats: list[Any], assignment: int
) -> None:
    cancel = partial(exchange.cancel, assignment)

    assert_follows_the_owner(exchange, cancel, pool_council, council_seats[1], NOT_CANCELLER)
