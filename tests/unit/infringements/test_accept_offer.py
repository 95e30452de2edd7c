"""Infringements.accept_offer: the patent's provider, or its trusteeship centre, while an
active member (the council for the fund's patents), accepts one offer standing on its
authorised case whose authorisation holds: the first of a settlement's two keys. Accepting
another offer replaces the choice; a new authorisation (a new owner) clears it."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Removal
from tests.unit.infringements.helpers import (
    LAPSED,
    NO_OFFER,
    NOT_ACTIVE,
    NOT_AUTHORISED,
    NOT_PROVIDER,
    OTHER_PRODUCT,
    PATENT,
    SETTLEMENT,
)


@pytest.mark.parametrize("decider", ["provider", "centre"])
def test_accept_offer__by_the_provider_or_its_centre__records_and_logs(
    infringements: Any,
    actors_by_role: dict[str, Any],
    authorised_case: int,
    offer: Callable[..., int],
    decider: str,
) -> None:
    sender = actors_by_role[decider]
    made = offer(authorised_case)

    tx = infringements.accept_offer(authorised_case, made, sender=sender)

    assert infringements.accepted_offer(authorised_case) == made
    assert tx.events == [
        infringements.OfferAccepted(case=authorised_case, offer=made, provider=sender.address)
    ]


def test_accept_offer__another_offer_later__replaces_the_choice(
    infringements: Any, provider: Any, insurer: Any, offered_case: int, offer: Callable[..., int]
) -> None:
    better = offer(offered_case, 2 * SETTLEMENT, insurer)

    infringements.accept_offer(offered_case, better, sender=provider)

    assert infringements.accepted_offer(offered_case) == better


@pytest.mark.parametrize(
    "caller",
    ["attacker", "protection_centre", "regulator", "pool_council", "provider2", "outsider"],
)
def test_accept_offer__by_anyone_else__reverts(
    infringements: Any,
    actors_by_role: dict[str, Any],
    authorised_case: int,
    offer: Callable[..., int],
    caller: str,
) -> None:
    made = offer(authorised_case)

    with ape.reverts(NOT_PROVIDER):
        infringements.accept_offer(authorised_case, made, sender=actors_by_role[caller])


def test_accept_offer__provider_suspended__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    authorised_case: int,
    offer: Callable[..., int],
) -> None:
    made = offer(authorised_case)
    pool_alliance.suspend(provider, sender=pool_council)

    with ape.reverts(NOT_ACTIVE):
        infringements.accept_offer(authorised_case, made, sender=provider)


@pytest.mark.parametrize("which", ["unknown id", "withdrawn", "another case's"])
def test_accept_offer__no_such_offer_standing_on_the_case__reverts(
    infringements: Any,
    provider: Any,
    accused: Any,
    authorised_case: int,
    file_case: Callable[..., int],
    offer: Callable[..., int],
    which: str,
) -> None:
    named = 7
    if which == "withdrawn":
        named = offer(authorised_case)
        infringements.withdraw_offer(named, sender=accused)
    elif which == "another case's":
        other = file_case(product=OTHER_PRODUCT)
        infringements.authorise(other, sender=provider)
        named = offer(other)

    with ape.reverts(NO_OFFER):
        infringements.accept_offer(authorised_case, named, sender=provider)


def test_accept_offer__case_only_filed__reverts(
    infringements: Any, provider: Any, filed_case: int
) -> None:
    with ape.reverts(NOT_AUTHORISED):
        infringements.accept_offer(filed_case, 1, sender=provider)


@pytest.mark.parametrize("ground", ["removed", "changed hands"])
def test_accept_offer__authorisation_lapsed__reverts(
    infringements: Any,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    authorised_case: int,
    offer: Callable[..., int],
    change_hands: Callable[[bytes], None],
    ground: str,
) -> None:
    made = offer(authorised_case)
    if ground == "removed":
        patent_pool.remove(PATENT, int(Removal.SOLD), sender=pool_council)
    else:
        change_hands(PATENT)

    with ape.reverts(LAPSED):
        infringements.accept_offer(authorised_case, made, sender=provider2)


def test_accept_offer__new_owner_authorises_again__the_sellers_acceptance_is_cleared(
    infringements: Any, provider2: Any, offered_case: int, change_hands: Callable[[bytes], None]
) -> None:
    change_hands(PATENT)

    infringements.authorise(offered_case, sender=provider2)

    assert infringements.accepted_offer(offered_case) == 0


def test_accept_offer__fund_patent__the_council_accepts(
    infringements: Any, pool_council: Any, fund_case: int, offer: Callable[..., int]
) -> None:
    infringements.authorise(fund_case, sender=pool_council)
    made = offer(fund_case)

    infringements.accept_offer(fund_case, made, sender=pool_council)

    assert infringements.accepted_offer(fund_case) == made
