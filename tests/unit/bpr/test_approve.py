"""BPR.approve: nobody may be allowed to spend a licence."""

from typing import Any

import ape
import pytest

from tests.unit.licensing.helpers import NOT_APPROVABLE


@pytest.mark.parametrize("amount", [0, 1, 2**256 - 1])
def test_approve__by_a_holder__reverts_and_leaves_allowance_zero(
    bpr: Any, bpr_holder: Any, attacker: Any, amount: int
) -> None:
    with ape.reverts(NOT_APPROVABLE):
        bpr.approve(attacker, amount, sender=bpr_holder)

    assert bpr.allowance(bpr_holder, attacker) == 0


@pytest.mark.parametrize(
    ("caller", "counterparty"),
    [("licensing_sender", "attacker"), ("attacker", "licensing")],
    indirect=True,
    ids=["licensing-itself", "a-non-holder"],
)
def test_approve__by_licensing_itself_or_a_non_holder__reverts(
    bpr: Any, caller: Any, counterparty: Any
) -> None:
    with ape.reverts(NOT_APPROVABLE):
        bpr.approve(counterparty, 1, sender=caller)
