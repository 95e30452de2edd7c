"""BPR.mint: only Licensing issues a licence, at most one per address."""

from typing import Any

import ape
import pytest

from tests.unit.bpr.helpers import assert_licence_moved
from tests.unit.licensing.helpers import ZERO

ONLY_LICENSING = "bpr: only licensing mints"


def test_mint__by_licensing__issues_one_licence_and_logs_a_transfer_from_zero(
    bpr: Any, licensing_sender: Any, licensee: Any
) -> None:
    tx = bpr.mint(licensee, sender=licensing_sender)

    assert_licence_moved(bpr, tx, ZERO, licensee, supply=1)


def test_mint__to_a_second_holder__adds_one_to_the_supply(
    bpr: Any, licensing_sender: Any, bpr_holder: Any, outsider: Any
) -> None:
    bpr.mint(outsider, sender=licensing_sender)

    assert bpr.balanceOf(outsider) == 1
    assert bpr.balanceOf(bpr_holder) == 1
    assert bpr.totalSupply() == 2


def test_mint__to_a_holder__reverts(bpr: Any, licensing_sender: Any, bpr_holder: Any) -> None:
    with ape.reverts("bpr: already holds a licence"):
        bpr.mint(bpr_holder, sender=licensing_sender)

    assert bpr.balanceOf(bpr_holder) == 1
    assert bpr.totalSupply() == 1


def test_mint__to_a_former_holder_after_burn__issues_again(
    bpr: Any, licensing_sender: Any, bpr_holder: Any
) -> None:
    bpr.burn(bpr_holder, sender=licensing_sender)

    bpr.mint(bpr_holder, sender=licensing_sender)

    assert bpr.balanceOf(bpr_holder) == 1
    assert bpr.totalSupply() == 1


def test_mint__to_the_zero_address__reverts(bpr: Any, licensing_sender: Any) -> None:
    with ape.reverts("bpr: holder is the zero address"):
        bpr.mint(ZERO, sender=licensing_sender)


# Anyone but Licensing: the council, the deployer, an attacker, the would-be holder.
@pytest.mark.parametrize(
    "caller", ["pool_council", "deployer", "attacker", "licensee"], indirect=True
)
def test_mint__by_anyone_but_licensing__reverts(bpr: Any, licensee: Any, caller: Any) -> None:
    with ape.reverts(ONLY_LICENSING):
        bpr.mint(licensee, sender=caller)

    assert bpr.totalSupply() == 0


def test_mint__by_the_pool_that_mints_bpc__reverts(
    bpr: Any, bpc_minter: Any, licensee: Any
) -> None:
    with ape.reverts(ONLY_LICENSING):
        bpr.mint(licensee, sender=bpc_minter)
