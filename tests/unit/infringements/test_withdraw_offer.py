"""Infringements.withdraw_offer: a standing offer returns to its offerer, at the offerer's
call at any time, at anyone's once its case is closed; no offer is ever stuck."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.infringements_reasons import NO_STANDING_OFFER, NOT_OFFERER
from tests.unit.infringements.helpers import BOND, SETTLEMENT, offer_of


def test_withdraw_offer__offerer_on_an_open_case__returns_it_and_logs(
    infringements: Any, bpc: Any, accused: Any, offered_case: int
) -> None:
    tx = infringements.withdraw_offer(1, sender=accused)

    assert bpc.balanceOf(accused) == SETTLEMENT
    assert offer_of(infringements, 1) == (offered_case, accused.address, 0)
    assert infringements.offers_held() == 0
    assert bpc.balanceOf(infringements) == BOND
    assert tx.events.filter(infringements.OfferWithdrawn) == [
        infringements.OfferWithdrawn(
            case=offered_case, offer=1, offerer=accused.address, amount=SETTLEMENT
        )
    ]


@pytest.mark.parametrize("caller", ["attacker", "regulator", "protection_centre", "insurer"])
def test_withdraw_offer__anyone_else_while_the_case_is_open__reverts(
    infringements: Any, actors_by_role: dict[str, Any], offered_case: int, caller: str
) -> None:
    with ape.reverts(NOT_OFFERER):
        infringements.withdraw_offer(1, sender=actors_by_role[caller])


@pytest.mark.parametrize("end", ["dismissed", "withdrawn", "settled with another offer"])
def test_withdraw_offer__case_closed__anyone_returns_it_to_its_offerer(
    infringements: Any,
    bpc: Any,
    regulator: Any,
    provider: Any,
    protection_centre: Any,
    accused: Any,
    insurer: Any,
    attacker: Any,
    offered_case: int,
    offer: Callable[..., int],
    end: str,
) -> None:
    if end == "dismissed":
        infringements.dismiss(offered_case, sender=regulator)
    elif end == "withdrawn":
        infringements.withdraw(offered_case, sender=protection_centre)
    else:
        made = offer(offered_case, 5, insurer)
        infringements.accept_offer(offered_case, made, sender=provider)
        infringements.settle(offered_case, made, sender=regulator)

    infringements.withdraw_offer(1, sender=attacker)

    assert bpc.balanceOf(accused) == SETTLEMENT
    assert bpc.balanceOf(attacker) == 0
    assert infringements.offers_held() == bpc.balanceOf(infringements) == 0


@pytest.mark.parametrize("which", ["never made", "already returned", "accepted"])
def test_withdraw_offer__not_standing__reverts(
    infringements: Any, regulator: Any, accused: Any, offered_case: int, which: str
) -> None:
    named = 2 if which == "never made" else 1
    if which == "already returned":
        infringements.withdraw_offer(1, sender=accused)
    elif which == "accepted":
        infringements.settle(offered_case, 1, sender=regulator)

    with ape.reverts(NO_STANDING_OFFER):
        infringements.withdraw_offer(named, sender=accused)
