"""Issue 15, review of Infringements (new finding): one regulator settles the owner's claim
for what the infringer chooses.

A regulator alone accepted any offer standing on a case: colluding with the infringer, it
settled the provider's authorised case for a 1-wei offer, and the damages the pool's
contributors were owed were gone (the case closed, the bond returned). A settlement now
takes two keys: the patent's provider (or its centre; the council for the fund's
patents) accepts the offer, then a regulator or the council, not a party, settles it.
"""

from collections.abc import Callable
from typing import Any

import ape

from bpsa.core.codes import CaseStatus
from tests.infringements_reasons import NOT_ACCEPTED
from tests.unit.infringements.helpers import SETTLEMENT


def test_settle__regulator_takes_the_infringers_one_wei_offer__refused_without_the_provider(
    infringements: Any,
    regulator: Any,
    provider: Any,
    accused: Any,
    authorised_case: int,
    offer: Callable[..., int],
) -> None:
    low = offer(authorised_case, 1, accused)
    fair = offer(authorised_case, SETTLEMENT, accused)

    with ape.reverts(NOT_ACCEPTED):
        infringements.settle(authorised_case, low, sender=regulator)

    infringements.accept_offer(authorised_case, fair, sender=provider)
    with ape.reverts(NOT_ACCEPTED):  # nor another offer than the one the provider accepted
        infringements.settle(authorised_case, low, sender=regulator)
    infringements.settle(authorised_case, fair, sender=regulator)
    assert infringements.cases(authorised_case).status == CaseStatus.SETTLED
    assert infringements.settlements_paid() == SETTLEMENT
