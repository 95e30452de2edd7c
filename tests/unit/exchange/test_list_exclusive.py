"""Exchange.list_exclusive: an exclusive licence of a lot patent on Licensing's terms
(field of use, territory, duration), refused while Licensing lists the same terms or an
exclusive licence of them runs."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.exchange.helpers import (
    ALREADY_LISTED,
    BAD_DURATION,
    DURATION,
    DURATION_MAX,
    EXCLUSIVE_LICENCE,
    FIELD,
    LAPSED,
    NOT_LISTER,
    NUMBER,
    OPEN,
    PRICE,
    TERMS_EXCLUSIVE,
    TERMS_LISTED,
    TERRITORY,
    terms_key,
)
from tests.unit.exchange.test_list_assignment import _pooled_usage_right


def test_list_exclusive__by_the_provider__records_the_terms_and_logs_them(
    exchange: Any, licensing: Any, lot: bytes, provider: Any
) -> None:
    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)

    record = exchange.listings(tx.return_value)
    assert (record.kind, record.state, record.seller, record.price, record.duration) == (
        EXCLUSIVE_LICENCE, OPEN, provider.address, PRICE, DURATION
    )  # fmt: skip
    assert record.terms == terms_key(lot) == licensing.terms_key(lot, FIELD, TERRITORY)
    event = tx.events.filter(exchange.Listed)[0]
    assert (event.field_of_use, event.territory, event.duration) == (FIELD, TERRITORY, DURATION)


def test_list_exclusive__by_someone_else__reverts(
    exchange: Any, lot: bytes, provider2: Any
) -> None:
    with ape.reverts(NOT_LISTER):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider2)


@pytest.mark.parametrize("duration", [0, DURATION_MAX + 1])
def test_list_exclusive__duration_out_of_bounds__reverts(
    exchange: Any, lot: bytes, provider: Any, duration: int
) -> None:
    with ape.reverts(BAD_DURATION):
        exchange.list_exclusive(lot, PRICE, duration, FIELD, TERRITORY, sender=provider)


def test_list_exclusive__duration_at_fifty_years__lists(
    exchange: Any, lot: bytes, provider: Any
) -> None:
    tx = exchange.list_exclusive(lot, PRICE, DURATION_MAX, FIELD, TERRITORY, sender=provider)

    assert exchange.listings(tx.return_value).duration == DURATION_MAX


def test_list_exclusive__licensing_lists_the_same_terms__reverts(
    exchange: Any, licensing: Any, lot: bytes, provider: Any
) -> None:
    licensing.list_terms(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)

    with ape.reverts(TERMS_LISTED):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)


def test_list_exclusive__licensing_lists_other_terms_or_delisted_these__lists(
    exchange: Any, licensing: Any, lot: bytes, provider: Any
) -> None:
    licensing.list_terms(lot, PRICE, DURATION, FIELD, "JP", sender=provider)
    delisted = licensing.list_terms(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    licensing.delist(delisted.return_value, sender=provider)

    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)

    assert exchange.listings(tx.return_value).state == OPEN


def test_list_exclusive__an_exclusive_licence_of_the_terms_runs__reverts(
    chain: Any,
    driver: PoolDriver,
    exchange: Any,
    exclusive: int,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    enterprise: Any,
) -> None:
    pay(enterprise)
    exchange.buy(exclusive, sender=enterprise)

    with ape.reverts(TERMS_EXCLUSIVE):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    # another territory is free now; these terms once the licence has ended
    exchange.list_exclusive(lot, PRICE, DURATION, FIELD, "JP", sender=provider)
    exchange.cancel(exchange.open_listing(lot), sender=provider)
    chain.pending_timestamp += DURATION
    chain.mine()
    driver.attest(driver.certificate("US", NUMBER, provider, nonce=2), sender=provider)  # renewed
    exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)


def test_list_exclusive__patent_listed_for_assignment__reverts(
    exchange: Any, assignment: int, lot: bytes, provider: Any
) -> None:
    with ape.reverts(ALREADY_LISTED):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)


def test_list_exclusive__certificate_lapsed__reverts(
    driver: PoolDriver, exchange: Any, lot: bytes, provider: Any
) -> None:
    driver.attest(driver.certificate("US", NUMBER, "0x" + "cd" * 20, nonce=2), sender=provider)

    with ape.reverts(LAPSED):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)


def test_list_exclusive__usage_right__lists(
    driver: PoolDriver, exchange: Any, patent_pool: Any, pool_council: Any, provider: Any
) -> None:
    # a usage right cannot be assigned, but its holder may license it exclusively
    patent = _pooled_usage_right(driver, patent_pool, pool_council, provider)

    tx = exchange.list_exclusive(patent, PRICE, DURATION, FIELD, TERRITORY, sender=provider)

    assert exchange.listings(tx.return_value).kind == EXCLUSIVE_LICENCE
