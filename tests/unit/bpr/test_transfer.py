"""BPR.transfer: a licence never moves by transfer, whoever asks."""

from typing import Any

import ape
import pytest

from tests.unit.licensing.helpers import NOT_TRANSFERABLE


@pytest.mark.parametrize("amount", [0, 1])
def test_transfer__by_a_holder__reverts_and_keeps_the_licence(
    bpr: Any, bpr_holder: Any, attacker: Any, amount: int
) -> None:
    with ape.reverts(NOT_TRANSFERABLE):
        bpr.transfer(attacker, amount, sender=bpr_holder)

    assert bpr.balanceOf(bpr_holder) == 1
    assert bpr.balanceOf(attacker) == 0


@pytest.mark.parametrize(
    ("caller", "counterparty", "amount"),
    [("licensing_sender", "bpr_holder", 1), ("attacker", "outsider", 0)],
    indirect=["caller", "counterparty"],
    ids=["licensing-itself", "a-non-holder"],
)
def test_transfer__by_licensing_itself_or_a_non_holder__reverts(
    bpr: Any, caller: Any, counterparty: Any, amount: int
) -> None:
    with ape.reverts(NOT_TRANSFERABLE):
        bpr.transfer(counterparty, amount, sender=caller)
