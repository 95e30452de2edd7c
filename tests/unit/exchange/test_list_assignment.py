"""Exchange.list_assignment: a lot patent's contributor of record (or an agent it gave an
assignment mandate, the council for the fund's patents) lists its assignment at a fixed
price; a patent not in a sellable state is refused with its reason."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Removal, Source
from tests.fixtures.pool import YEAR, PoolDriver
from tests.unit.exchange.helpers import (
    ALREADY_LISTED,
    ASSIGNMENT,
    BAD_PRICE,
    EXPIRED,
    LAPSED,
    LISTER_INACTIVE,
    NOT_LISTER,
    NOT_POOLED,
    NUMBER,
    OPEN,
    PRICE,
    PRICE_MAX,
    REMOVED,
    UNKNOWN_PATENT,
    USAGE_RIGHT,
    WITHDRAWN,
    ZERO,
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
    driver: PoolDriver, exchange: Any, patent_pool: Any, fund: Any, pool_council: Any
) -> None:
    patent = driver.submit(None, "22345678", source=Source.PURCHASED)
    driver.certify(pool_council, "22345678", owner=fund)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=pool_council)

    listing = exchange.list_assignment(patent, PRICE, sender=pool_council).return_value

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


def test_list_assignment__unknown_patent__reverts(exchange: Any, provider: Any) -> None:
    with ape.reverts(UNKNOWN_PATENT):
        exchange.list_assignment(certs.patent_id("US", "99999999"), PRICE, sender=provider)


def test_list_assignment__patent_not_pooled_yet__reverts(
    driver: PoolDriver, exchange: Any, provider: Any
) -> None:
    patent = driver.submit(provider, "22345678")
    driver.certify(provider, "22345678")

    with ape.reverts(NOT_POOLED):
        exchange.list_assignment(patent, PRICE, sender=provider)


def test_list_assignment__patent_withdrawn__reverts(
    driver: PoolDriver, exchange: Any, patent_pool: Any, provider: Any
) -> None:
    patent = driver.submit(provider, "22345678")
    patent_pool.withdraw(patent, sender=provider)

    with ape.reverts(WITHDRAWN):
        exchange.list_assignment(patent, PRICE, sender=provider)


def test_list_assignment__patent_removed__reverts(
    exchange: Any, patent_pool: Any, pool_council: Any, lot: bytes, provider: Any
) -> None:
    patent_pool.remove(lot, int(Removal.SOLD), sender=pool_council)

    with ape.reverts(REMOVED):
        exchange.list_assignment(lot, PRICE, sender=provider)


def test_list_assignment__certificate_lapsed_while_pooled__reverts(
    driver: PoolDriver, exchange: Any, lot: bytes, provider: Any
) -> None:
    lapsed = driver.certificate("US", NUMBER, provider, status=CertStatus.LAPSED, nonce=2)
    driver.attest(lapsed, sender=provider)

    with ape.reverts(LAPSED):
        exchange.list_assignment(lot, PRICE, sender=provider)


def test_list_assignment__patent_expired__reverts(
    chain: Any, exchange: Any, patent_pool: Any, lot: bytes, provider: Any
) -> None:
    chain.pending_timestamp += YEAR + 182 * 86_400  # past the expiry and its grace period
    chain.mine()
    patent_pool.expire(lot, sender=provider)

    with ape.reverts(EXPIRED):
        exchange.list_assignment(lot, PRICE, sender=provider)


def test_list_assignment__usage_right__reverts(
    driver: PoolDriver, exchange: Any, patent_pool: Any, pool_council: Any, provider: Any
) -> None:
    patent = _pooled_usage_right(driver, patent_pool, pool_council, provider)

    with ape.reverts(USAGE_RIGHT):
        exchange.list_assignment(patent, PRICE, sender=provider)


def _pooled_usage_right(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, provider: Any
) -> bytes:
    """A usage right the provider contracted from an owner outside the alliance, lot."""
    number, owner = "33456789", "0x" + "ab" * 20
    ends = driver.now() + 2 * YEAR
    patent = driver.submit(provider, number, source=Source.USAGE_RIGHT, right_ends=ends)
    cert = driver.certificate("US", number, owner)
    driver.attest(cert, sender=provider)
    patent_pool.certify(patent, sender=provider)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=pool_council)
    assert owner != ZERO
    return bytes(patent)
