"""Infringements.accept_offer: the patent's provider, or its trusteeship centre, while an
active member (the council for the fund's patents), accepts one offer standing on its
authorised case whose authorisation holds: the first of a settlement's two keys. Accepting
another offer replaces the choice; a new authorisation (a new owner) clears it."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.infringements.helpers import (
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
