"""Issue 15, finding 10: a stranger blocks a settlement.

Anyone replaced the pending offer and `settle` needed the exact amount, so a stranger's
1-wei offer blocked the accused's 30-BPC offer. Offers now stand apart, each under its own
id, and the resolver settles the one it names; every other offer returns to its offerer.
"""

from collections.abc import Callable
from typing import Any

from bpsa.core.codes import CaseStatus
from tests.unit.infringements.helpers import ONE


def test_settle__stranger_offers_one_wei_after_the_accused__the_accuseds_offer_settles(
    infringements: Any,
    bpc: Any,
    regulator: Any,
    provider: Any,
    accused: Any,
    attacker: Any,
    authorised_case: int,
    offer: Callable[..., int],
) -> None:
    accuseds = offer(authorised_case, 30 * ONE, accused)
    strangers = offer(authorised_case, 1, attacker)

    infringements.accept_offer(authorised_case, accuseds, sender=provider)
    infringements.settle(authorised_case, accuseds, sender=regulator)

    assert infringements.cases(authorised_case).status == CaseStatus.SETTLED
    assert infringements.settlements_paid() == 30 * ONE
    infringements.withdraw_offer(strangers, sender=attacker)
    assert bpc.balanceOf(attacker) == 1  # the stranger's wei comes back, nothing more
    assert infringements.offers_held() == bpc.balanceOf(infringements) == 0


def test_withdraw_offer__case_left_open_for_good__the_offerer_takes_its_offer_back(
    infringements: Any,
    bpc: Any,
    accused: Any,
    authorised_case: int,
    offer: Callable[..., int],
) -> None:
    """Nobody resolves the case and the centre never withdraws: the offer is not stuck."""
    made = offer(authorised_case, 30 * ONE, accused)

    infringements.withdraw_offer(made, sender=accused)

    assert bpc.balanceOf(accused) == 30 * ONE
    assert infringements.cases(authorised_case).status == CaseStatus.AUTHORISED
