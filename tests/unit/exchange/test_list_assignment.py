"""Exchange.list_assignment: a lot patent's contributor of record (or an agent it gave an
assignment mandate, the council for the fund's patents) lists its assignment at a fixed
price; a patent not in a sellable state is refused with its reason."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.unit.exchange.helpers import (
    ALREADY_LISTED,
    ASSIGNMENT,
    BAD_PRICE,
    EXPIRED,
    LAPSED,
    LISTER_INACTIVE,
    NOT_LISTER,
    NOT_POOLED,
    OPEN,
    PRICE,
    PRICE_MAX,
    REMOVED,
    UNKNOWN_PATENT,
    USAGE_RIGHT,
    WITHDRAWN,
)


def test_list_assignment__by_the_provider__records_and_logs(
    exchange: Any, lot: bytes, provider: Any
) -> None:
    tx = exchange.list_assignment(lot, PRICE, sender=provider)

    listing = tx.return_value
    record = exchange.listings(listing)
    assert (record.patent, record.kind, record.state, record.lister, record.seller) == (
        lot, ASSIGNMENT, OPEN, provider.address, provider.address
    )  # fmt: skip
    assert (record.price, record.duration, record.terms) == (PRICE, 0, b"\x00" * 32)
    assert exchange.open_listing(lot) == listing
    event = tx.events.filter(exchange.Listed)[0]
    assert (event.listing, event.patent, event.lister, event.price) == (
        listing, lot, provider.address, PRICE
    )  # fmt: skip


def test_list_assignment__by_the_centre_under_the_providers_mandate__sells_for_the_provider(
    exchange: Any, lot: bytes, mandate: int, provider: Any, centre: Any
) -> None:
    # Until issue 15 (finding 2) the centre listed without the provider's consent.
    listing = exchange.list_assignment(lot, PRICE, sender=centre).return_value

    record = exchange.listings(listing)
    assert (record.lister, record.seller) == (centre.address, provider.address)


@pytest.mark.parametrize("caller", ["provider2", "attacker", "pool_council"])
def test_list_assignment__by_anyone_else__reverts(
    actors: dict[str, Any], exchange: Any, lot: bytes, caller: str
) -> None:
    with ape.reverts(NOT_LISTER):
        exchange.list_assignment(lot, PRICE, sender=actors[caller])


def test_list_assignment__provider_suspended__reverts(
    exchange: Any, pool_alliance: Any, pool_council: Any, lot: bytes, provider: Any
) -> None:
    pool_alliance.suspend(provider, sender=pool_council)

    with ape.reverts(LISTER_INACTIVE):
        exchange.list_assignment(lot, PRICE, sender=provider)


def test_list_assignment__fund_patent_by_the_council__sells_for_the_fund(
    exchange: Any, fund: Any, pool_council: Any, fund_patent: bytes
) -> None:
    listing = exchange.list_assignment(fund_patent, PRICE, sender=pool_council).return_value

    assert exchange.listings(listing).seller == fund.address


def test_list_assignment__already_listed__reverts(
    exchange: Any, lot: bytes, mandate: int, provider: Any, centre: Any
) -> None:
    exchange.list_assignment(lot, PRICE, sender=provider)

    with ape.reverts(ALREADY_LISTED):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_list_assignment__listing_cancelled__lists_again(
    exchange: Any, lot: bytes, provider: Any
) -> None:
    first = exchange.list_assignment(lot, PRICE, sender=provider).return_value
    exchange.cancel(first, sender=provider)

    second = exchange.list_assignment(lot, 2 * PRICE, sender=provider).return_value

    assert (second, exchange.open_listing(lot)) == (first + 1, first + 1)


@pytest.mark.parametrize("price", [0, PRICE_MAX + 1])
def test_list_assignment__price_out_of_bounds__reverts(
    exchange: Any, lot: bytes, provider: Any, price: int
) -> None:
    with ape.reverts(BAD_PRICE):
        exchange.list_assignment(lot, price, sender=provider)


@pytest.mark.parametrize("price", [1, PRICE_MAX])
def test_list_assignment__price_at_the_bounds__lists(
    exchange: Any, lot: bytes, provider: Any, price: int
) -> None:
    listing = exchange.list_assignment(lot, price, sender=provider).return_value

    assert exchange.listings(listing).price == price


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        pytest.param("unknown", UNKNOWN_PATENT, id="unknown_patent"),
        pytest.param("submitted", NOT_POOLED, id="patent_not_pooled_yet"),
        pytest.param("withdrawn", WITHDRAWN, id="patent_withdrawn"),
        pytest.param("removed", REMOVED, id="patent_removed"),
        pytest.param("lapsed", LAPSED, id="certificate_lapsed_while_pooled"),
        pytest.param("expired", EXPIRED, id="patent_expired"),
        pytest.param("usage right", USAGE_RIGHT, id="usage_right"),
    ],
)
def test_list_assignment__patent_not_assignable__reverts(
    exchange: Any, provider: Any, patent_in: Callable[[str], bytes], state: str, reason: str
) -> None:
    patent = patent_in(state)

    with ape.reverts(reason):
        exchange.list_assignment(patent, PRICE, sender=provider)
