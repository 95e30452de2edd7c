"""BPR.transferFrom: nobody moves a licence, not even Licensing."""

from typing import Any

import ape
import pytest

from tests.unit.licensing.helpers import NOT_TRANSFERABLE


@pytest.mark.parametrize("amount", [0, 1])
def test_transfer_from__holder_moving_its_own__reverts_and_keeps_the_licence(
    bpr: Any, bpr_holder: Any, attacker: Any, amount: int
) -> None:
    with ape.reverts(NOT_TRANSFERABLE):
        bpr.transferFrom(bpr_holder, attacker, amount, sender=bpr_holder)

    assert bpr.balanceOf(bpr_holder) == 1
    assert bpr.balanceOf(attacker) == 0


def test_transfer_from__by_licensing_itself__reverts_and_keeps_the_licence(
    bpr: Any, licensing: Any, licensing_sender: Any, bpr_holder: Any
) -> None:
    with ape.reverts(NOT_TRANSFERABLE):
        bpr.transferFrom(bpr_holder, licensing, 1, sender=licensing_sender)

    assert bpr.balanceOf(bpr_holder) == 1


def test_transfer_from__by_an_attacker__reverts_and_keeps_the_licence(
    bpr: Any, bpr_holder: Any, attacker: Any
) -> None:
    with ape.reverts(NOT_TRANSFERABLE):
        bpr.transferFrom(bpr_holder, attacker, 1, sender=attacker)

    assert bpr.balanceOf(bpr_holder) == 1
