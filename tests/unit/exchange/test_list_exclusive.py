"""Exchange.list_exclusive: an exclusive licence of a lot patent on Licensing's terms
(field of use, territory, duration), refused while Licensing lists the same terms or an
exclusive licence of them runs."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.exchange.helpers import (
    AGREEMENT,
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


def test_list_exclusive__by_the_provider__records_the_terms_and_logs_them(
    exchange: Any, licensing: Any, lot: bytes, provider: Any
) -> None:
    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider)

    record = exchange.listings(tx.return_value)
    assert (record.kind, record.state, record.seller, record.price, record.duration) == (
        EXCLUSIVE_LICENCE, OPEN, provider.address, PRICE, DURATION
    )  # fmt: skip
    assert record.terms == terms_key(lot) == licensing.terms_key(lot, FIELD, TERRITORY)
    assert record.agreement == AGREEMENT
    event = tx.events.filter(exchange.Listed)[0]
    assert (event.field_of_use, event.territory, event.duration) == (FIELD, TERRITORY, DURATION)
    assert event.agreement == AGREEMENT


def test_list_exclusive__empty_agreement__reverts(exchange: Any, lot: bytes, provider: Any) -> None:
    with ape.reverts("exchange: an exclusive licence needs its agreement's digest"):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, bytes(32), sender=provider)


@pytest.mark.parametrize("duration", [0, DURATION_MAX + 1])
def test_list_exclusive__duration_out_of_bounds__reverts(
    exchange: Any, lot: bytes, provider: Any, duration: int
) -> None:
    with ape.reverts(BAD_DURATION):
        exchange.list_exclusive(lot, PRICE, duration, FIELD, TERRITORY, AGREEMENT, sender=provider)


def test_list_exclusive__duration_at_fifty_years__lists(
    exchange: Any, lot: bytes, provider: Any
) -> None:
    tx = exchange.list_exclusive(
        lot, PRICE, DURATION_MAX, FIELD, TERRITORY, AGREEMENT, sender=provider
    )

    assert exchange.listings(tx.return_value).duration == DURATION_MAX


def test_list_exclusive__licensing_lists_other_terms_or_delisted_these__lists(
    exchange: Any, licensing: Any, lot: bytes, provider: Any
) -> None:
    licensing.list_terms(lot, PRICE, DURATION, FIELD, "JP", sender=provider)
    delisted = licensing.list_terms(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    licensing.delist(delisted.return_value, sender=provider)

    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider)

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
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider)
    # another territory is free now; these terms once the licence has ended
    exchange.list_exclusive(lot, PRICE, DURATION, FIELD, "JP", AGREEMENT, sender=provider)
    exchange.cancel(exchange.open_listing(lot), sender=provider)
    chain.pending_timestamp += DURATION
    chain.mine()
    driver.attest(
        driver.certificate("US", NUMBER, provider, nonce=driver.next_nonce("US", NUMBER)),
        sender=provider,
    )  # renewed
    exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider)


def test_list_exclusive__usage_right__lists(
    exchange: Any, provider: Any, patent_in: Callable[[str], bytes]
) -> None:
    # a usage right cannot be assigned, but its holder may license it exclusively
    patent = patent_in("usage right")

    tx = exchange.list_exclusive(
        patent, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider
    )

    assert exchange.listings(tx.return_value).kind == EXCLUSIVE_LICENCE


@pytest.mark.parametrize(
    ("before", "lister", "reason"),
    [
        pytest.param("nothing", "provider2", NOT_LISTER, id="by_someone_else"),
        pytest.param("terms listed", "provider", TERMS_LISTED, id="licensing_lists_the_same_terms"),
        pytest.param("assignment", "provider", ALREADY_LISTED, id="patent_listed_for_assignment"),
        pytest.param("recertified", "provider", LAPSED, id="certificate_lapsed"),
    ],
)
def test_list_exclusive__lister_or_patent_cannot_list_the_terms__reverts(
    driver: PoolDriver,
    exchange: Any,
    licensing: Any,
    lot: bytes,
    provider: Any,
    actors: dict[str, Any],
    list_lot: Callable[[str], int],
    before: str,
    lister: str,
    reason: str,
) -> None:
    if before == "terms listed":  # per-patent terms on Licensing
        licensing.list_terms(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    elif before == "assignment":
        list_lot("assignment")
    elif before == "recertified":  # a new certificate names another owner
        driver.attest(
            driver.certificate(
                "US", NUMBER, "0x" + "cd" * 20, nonce=driver.next_nonce("US", NUMBER)
            ),
            sender=provider,
        )

    with ape.reverts(reason):
        exchange.list_exclusive(
            lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=actors[lister]
        )
