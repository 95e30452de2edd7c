"""BPR.burn: only Licensing ends a licence (release or revocation), and only a held one."""

from typing import Any

import ape
import pytest

from tests.unit.bpr.helpers import assert_licence_moved
from tests.unit.licensing.helpers import ZERO

ONLY_LICENSING = "bpr: only licensing burns"
HOLDS_NONE = "bpr: holds no licence"


def test_burn__by_licensing__ends_the_licence_and_logs_a_transfer_to_zero(
    bpr: Any, licensing_sender: Any, bpr_holder: Any
) -> None:
    tx = bpr.burn(bpr_holder, sender=licensing_sender)

    assert_licence_moved(bpr, tx, bpr_holder, ZERO, supply=0)


def test_burn__one_of_two_holders__leaves_the_other(
    bpr: Any, licensing_sender: Any, bpr_holder: Any, outsider: Any
) -> None:
    bpr.mint(outsider, sender=licensing_sender)

    bpr.burn(bpr_holder, sender=licensing_sender)

    assert bpr.balanceOf(outsider) == 1
    assert bpr.totalSupply() == 1


def test_burn__a_non_holder__reverts(
    bpr: Any, licensing_sender: Any, bpr_holder: Any, outsider: Any
) -> None:
    with ape.reverts(HOLDS_NONE):
        bpr.burn(outsider, sender=licensing_sender)

    assert bpr.totalSupply() == 1


def test_burn__twice__reverts(bpr: Any, licensing_sender: Any, bpr_holder: Any) -> None:
    bpr.burn(bpr_holder, sender=licensing_sender)

    with ape.reverts(HOLDS_NONE):
        bpr.burn(bpr_holder, sender=licensing_sender)


# Anyone but Licensing: the holder itself, the council, an attacker.
@pytest.mark.parametrize("caller", ["bpr_holder", "pool_council", "attacker"], indirect=True)
def test_burn__by_anyone_but_licensing__reverts(bpr: Any, bpr_holder: Any, caller: Any) -> None:
    with ape.reverts(ONLY_LICENSING):
        bpr.burn(bpr_holder, sender=caller)

    assert bpr.balanceOf(bpr_holder) == 1
