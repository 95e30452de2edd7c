"""Exchange.grant_mandate: a patent's contributor of record lets an agent (its trusteeship
centre, say) list one kind of trade of the patent at a floor price or more until an expiry,
in the patent's current tenure; listings under it are refused below the floor, after the
expiry, for the other kind, and once the patent changed hands."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.unit.exchange.helpers import (
    AGREEMENT,
    ASSIGNMENT,
    BELOW_FLOOR,
    DURATION,
    EXCLUSIVE_LICENCE,
    FIELD,
    LISTER_INACTIVE,
    MANDATE_EXPIRED,
    MANDATE_TERM,
    NOT_GRANTOR,
    NOT_LISTER,
    PRICE,
    PRICE_MAX,
    TERRITORY,
    ZERO,
)


def _expiry(chain: Any) -> int:
    return int(chain.pending_timestamp) + MANDATE_TERM


def test_grant_mandate__by_the_contributor__records_it_in_force_and_logs_it(
    chain: Any, exchange: Any, patent_pool: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    expiry = _expiry(chain)

    tx = exchange.grant_mandate(lot, centre, ASSIGNMENT, PRICE, expiry, sender=provider)

    tenure = patent_pool.tenure_of(lot)
    mandate = exchange.mandate(lot, centre, ASSIGNMENT)
    assert (mandate.floor_price, mandate.expiry, mandate.tenure, mandate.in_force) == (
        PRICE, expiry, tenure, True
    )  # fmt: skip
    assert not exchange.mandate(lot, centre, EXCLUSIVE_LICENCE).in_force  # one kind only
    assert tx.events.filter(exchange.MandateGranted) == [
        exchange.MandateGranted(
            patent=lot,
            contributor=provider.address,
            agent=centre.address,
            kind=ASSIGNMENT,
            floor_price=PRICE,
            expiry=expiry,
            tenure=tenure,
        )
    ]


@pytest.mark.parametrize("caller", ["centre", "provider2", "attacker", "pool_council"])
def test_grant_mandate__by_anyone_but_the_contributor__reverts(
    chain: Any, exchange: Any, lot: bytes, actors: dict[str, Any], caller: str
) -> None:
    # the centre manages the patent, yet cannot mandate itself
    who = actors[caller]
    with ape.reverts(NOT_GRANTOR):
        exchange.grant_mandate(lot, who, ASSIGNMENT, 1, _expiry(chain), sender=who)


def test_grant_mandate__unknown_patent__reverts(
    chain: Any, exchange: Any, provider: Any, centre: Any
) -> None:
    with ape.reverts(NOT_GRANTOR):
        exchange.grant_mandate(b"\x09" * 32, centre, ASSIGNMENT, 1, _expiry(chain), sender=provider)


def test_grant_mandate__contributor_suspended__reverts(
    chain: Any,
    exchange: Any,
    pool_alliance: Any,
    pool_council: Any,
    lot: bytes,
    provider: Any,
    centre: Any,
) -> None:
    pool_alliance.suspend(provider, sender=pool_council)

    with ape.reverts("exchange: the contributor is not an active member"):
        exchange.grant_mandate(lot, centre, ASSIGNMENT, PRICE, _expiry(chain), sender=provider)


@pytest.mark.parametrize("kind", [0, 4])
def test_grant_mandate__unknown_kind__reverts(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any, kind: int
) -> None:
    with ape.reverts("exchange: unknown kind of trade"):
        exchange.grant_mandate(lot, centre, kind, PRICE, _expiry(chain), sender=provider)


@pytest.mark.parametrize("agent", ["zero", "provider"])
def test_grant_mandate__agent_is_nobody_or_the_contributor__reverts(
    chain: Any, exchange: Any, lot: bytes, actors: dict[str, Any], agent: str
) -> None:
    provider = actors["provider"]
    address = ZERO if agent == "zero" else provider.address
    with ape.reverts("exchange: the agent must be another address"):
        exchange.grant_mandate(lot, address, ASSIGNMENT, PRICE, _expiry(chain), sender=provider)


@pytest.mark.parametrize("floor", [0, PRICE_MAX + 1])
def test_grant_mandate__floor_out_of_bounds__reverts(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any, floor: int
) -> None:
    with ape.reverts("exchange: floor price must be 1 wei to 10^10 BPC"):
        exchange.grant_mandate(lot, centre, ASSIGNMENT, floor, _expiry(chain), sender=provider)


@pytest.mark.parametrize("offset", [0, -1])
def test_grant_mandate__expiry_not_in_the_future__reverts(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any, offset: int
) -> None:
    now = int(chain.pending_timestamp)
    chain.pending_timestamp = now  # the grant's block time: `now`
    with ape.reverts("exchange: expiry must be in the future"):
        exchange.grant_mandate(lot, centre, ASSIGNMENT, PRICE, now + offset, sender=provider)


def test_list_assignment__under_a_mandate_below_its_floor__reverts(
    exchange: Any, lot: bytes, mandate: int, centre: Any
) -> None:
    with ape.reverts(BELOW_FLOOR):
        exchange.list_assignment(lot, PRICE - 1, sender=centre)
    assert exchange.list_assignment(lot, PRICE, sender=centre).return_value > 0


def test_list_assignment__under_an_expired_mandate__reverts(
    chain: Any, exchange: Any, lot: bytes, mandate: int, centre: Any
) -> None:
    chain.pending_timestamp = mandate  # its expiry

    with ape.reverts(MANDATE_EXPIRED):
        exchange.list_assignment(lot, PRICE, sender=centre)
    assert not exchange.mandate(lot, centre, ASSIGNMENT).in_force


def test_list_exclusive__under_an_assignment_mandate__reverts(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    exchange.grant_mandate(lot, centre, ASSIGNMENT, 1, _expiry(chain), sender=provider)

    with ape.reverts(NOT_LISTER):
        exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=centre)


def test_list_exclusive__under_an_exclusive_mandate__sells_for_the_contributor(
    chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any
) -> None:
    exchange.grant_mandate(lot, centre, EXCLUSIVE_LICENCE, PRICE, _expiry(chain), sender=provider)

    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=centre)

    record = exchange.listings(tx.return_value)
    assert (record.kind, record.lister, record.seller) == (
        EXCLUSIVE_LICENCE, centre.address, provider.address
    )  # fmt: skip


def test_list_assignment__agent_suspended__reverts(
    exchange: Any,
    pool_alliance: Any,
    pool_council: Any,
    lot: bytes,
    mandate: int,
    centre: Any,
) -> None:
    pool_alliance.suspend(centre, sender=pool_council)

    with ape.reverts(LISTER_INACTIVE):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_grant_mandate__again__replaces_the_agents_mandate_of_that_kind(
    chain: Any, exchange: Any, lot: bytes, mandate: int, provider: Any, centre: Any
) -> None:
    exchange.grant_mandate(lot, centre, ASSIGNMENT, 2 * PRICE, _expiry(chain), sender=provider)

    assert exchange.mandate(lot, centre, ASSIGNMENT).floor_price == 2 * PRICE
    with ape.reverts(BELOW_FLOOR):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_list_assignment__mandate_from_before_the_patent_changed_hands__reverts(
    chain: Any,
    exchange: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    # the provider mandates the centre, then sells the patent itself; provider2 sells it back:
    # the provider holds it again, in a new tenure the old mandate does not speak for
    exchange.grant_mandate(lot, centre, ASSIGNMENT, 1, _expiry(chain), sender=provider)
    pay(provider2)
    exchange.buy(
        exchange.list_assignment(lot, PRICE, sender=provider).return_value, sender=provider2
    )
    pay(provider)
    exchange.buy(
        exchange.list_assignment(lot, PRICE, sender=provider2).return_value, sender=provider
    )

    assert not exchange.mandate(lot, centre, ASSIGNMENT).in_force
    with ape.reverts(NOT_LISTER):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_grant_mandate__fund_patent__the_council_lists_it_and_no_one_else(
    chain: Any, exchange: Any, pool_council: Any, centre: Any, fund_patent: bytes
) -> None:
    patent = fund_patent

    with ape.reverts(NOT_GRANTOR):  # the fund's patents stay with the council's vote
        exchange.grant_mandate(patent, centre, ASSIGNMENT, 1, _expiry(chain), sender=pool_council)
    with ape.reverts("exchange: only the council lists the fund's patents"):
        exchange.list_assignment(patent, PRICE, sender=centre)
