"""Issue 15, finding 2: a trusteeship centre sells the patent without its owner.

The patent's trusteeship `centre` listed the assignment (or a 50-year worldwide exclusive
licence) at any price, its `accomplice` bought it for 1 wei, and the contributor (the
`provider`) could not even cancel the listing. A sale or an exclusive licence now needs
the contributor of record's consent: its own listing, or a mandate it gave the agent (kind,
floor price, expiry), which ends with the tenure it was given in and which the contributor
revokes at will; the contributor cancels any listing of its patent.
"""

from collections.abc import Callable
from typing import Any

import ape
from ape.exceptions import ContractLogicError

from tests.unit.exchange.helpers import (
    AGREEMENT,
    CANCELLED,
    DURATION_MAX,
    EXCLUSIVE_LICENCE,
    PRICE,
)

WORLDWIDE = "worldwide"
EVERY_FIELD = "every field"


def test_attack__centre_lists_the_assignment_for_1_wei_and_an_accomplice_buys__provider_keeps_it(
    exchange: Any,
    patent_pool: Any,
    bpc: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    centre: Any,
    provider2: Any,
) -> None:
    accomplice = provider2  # a member with the provider role, so it may hold the patent
    pay(accomplice, 1)
    try:
        listing = exchange.list_assignment(lot, 1, sender=centre).return_value
        exchange.buy(listing, sender=accomplice)
    except ContractLogicError:
        pass  # refused: the centre holds no mandate from the provider

    assert patent_pool.patents(lot).contributor == provider.address
    assert bpc.balanceOf(accomplice) == 1


def test_attack__centre_lists_a_50_year_worldwide_exclusive_licence_for_1_wei__nothing_sold(
    exchange: Any,
    licensing: Any,
    lot: bytes,
    pay: Callable[..., None],
    centre: Any,
    enterprise: Any,
) -> None:
    accomplice = enterprise  # an active member, so it may hold an exclusive licence
    pay(accomplice, 1)
    licence = 0
    try:
        listing = exchange.list_exclusive(
            lot, 1, DURATION_MAX, EVERY_FIELD, WORLDWIDE, AGREEMENT, sender=centre
        ).return_value
        licence = exchange.buy(listing, sender=accomplice).return_value
    except ContractLogicError:
        pass

    assert licence == 0
    assert licensing.exclusive_ends(licensing.terms_key(lot, EVERY_FIELD, WORLDWIDE)) == 0


def test_list_assignment__centre_without_a_mandate__reverts(
    exchange: Any, lot: bytes, centre: Any
) -> None:
    with ape.reverts("exchange: only the patent's contributor or an agent it mandated lists it"):
        exchange.list_assignment(lot, PRICE, sender=centre)


def test_list_exclusive__centre_without_a_mandate__reverts(
    exchange: Any, lot: bytes, centre: Any
) -> None:
    with ape.reverts("exchange: only the patent's contributor or an agent it mandated lists it"):
        exchange.list_exclusive(
            lot, PRICE, DURATION_MAX, EVERY_FIELD, WORLDWIDE, AGREEMENT, sender=centre
        )


def test_cancel__centre_listed_under_a_mandate__the_contributor_cancels_it(
    exchange: Any, agent_listing: int, provider: Any
) -> None:
    exchange.cancel(agent_listing, sender=provider)

    assert exchange.listings(agent_listing).state == CANCELLED


def test_buy__centre_listed_under_a_mandate_then_revoked__reverts(
    chain: Any,
    exchange: Any,
    lot: bytes,
    pay: Callable[..., None],
    provider: Any,
    centre: Any,
    enterprise: Any,
) -> None:
    expiry = chain.pending_timestamp + 30 * 86400
    exchange.grant_mandate(lot, centre, EXCLUSIVE_LICENCE, PRICE, expiry, sender=provider)
    listing = exchange.list_exclusive(
        lot, PRICE, DURATION_MAX, EVERY_FIELD, WORLDWIDE, AGREEMENT, sender=centre
    ).return_value
    exchange.revoke_mandate(lot, centre, EXCLUSIVE_LICENCE, sender=provider)
    pay(enterprise)

    with ape.reverts("exchange: no open listing"):
        exchange.buy(listing, sender=enterprise)
