"""Issue 15, review of Infringements (new finding): an authorisation outlives the owner
who gave it.

The provider authorised litigation, then sold the patent (or it left the pool); the case
went on and settled on the seller's word, without the buyer's consent, the settlement
flowing into a pool the patent may no longer be part of. An authorisation now records the
patent's tenure: a change of hands or leaving the pool voids it, and the new owner decides
again.
"""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.infringements_reasons import LAPSED, NOT_POOLED, NOT_PROVIDER


@pytest.mark.parametrize("change", ["changed hands", "removed"])
def test_settle__patent_changed_hands_or_left_after_authorisation__refused(
    infringements: Any,
    provider: Any,
    regulator: Any,
    offered_case: int,
    lose_ground: Callable[[str], None],
    change: str,
) -> None:
    lose_ground(change)

    with ape.reverts(LAPSED):
        infringements.settle(offered_case, 1, sender=regulator)
    # nor can the seller renew its word
    with ape.reverts(NOT_PROVIDER if change == "changed hands" else NOT_POOLED):
        infringements.authorise(offered_case, sender=provider)
    assert infringements.settlements_paid() == 0
