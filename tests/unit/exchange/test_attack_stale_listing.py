"""Issue 15, review of the Exchange: a listing outlived its patent's life.

A listing checked only that the patent's contributor of record was still its seller, so a
listing made before the patent left the pool stayed buyable at its old price once the same
contributor pooled the patent again (a new life, possibly with another document, value and
centre), and it blocked every new listing of the patent. A listing records the patent's
tenure (PatentPool.tenure_of, new at every assignment and new life) and ends with it.
"""

from collections.abc import Callable
from typing import Any

import ape

from tests.unit.exchange.helpers import CANCELLED, CHANGED_HANDS, OPEN, PRICE


def test_attack__listing_from_the_patents_earlier_life__cannot_be_bought(
    exchange: Any,
    patent_pool: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    new_life: Callable[[Any], None],
) -> None:
    old = exchange.list_assignment(lot, 1, sender=provider).return_value  # a price long gone
    tenure = patent_pool.tenure_of(lot)
    new_life(provider)
    assert patent_pool.tenure_of(lot) > tenure
    pay(provider2, 1)

    with ape.reverts(CHANGED_HANDS):
        exchange.buy(old, sender=provider2)

    assert patent_pool.patents(lot).contributor == provider.address


def test_list_assignment__open_listing_from_an_earlier_life__replaced_and_closed(
    exchange: Any,
    patent_pool: Any,
    lot: bytes,
    provider: Any,
    provider2: Any,
    new_life: Callable[[Any], None],
) -> None:
    old = exchange.list_assignment(lot, PRICE, sender=provider).return_value
    new_life(provider2)

    tx = exchange.list_assignment(lot, 2 * PRICE, sender=provider2)

    assert exchange.open_listing(lot) == tx.return_value
    assert exchange.listings(tx.return_value).state == OPEN
    assert exchange.listings(old).state == CANCELLED
    assert exchange.listings(tx.return_value).tenure == patent_pool.tenure_of(lot)
    cancelled = tx.events.filter(exchange.Cancelled)
    assert [(e.listing, e.by) for e in cancelled] == [(old, provider2.address)]
