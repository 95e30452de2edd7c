"""BPC.burn_from: a spender burns a holder's BPC within its allowance."""

from typing import Any

import ape

from tests.unit.bpc.conftest import HELD

INSUFFICIENT = "erc20: insufficient allowance"


def test_burn_from__within_allowance__burns_and_spends_the_allowance(
    bpc: Any, holder: Any, outsider: Any
) -> None:
    bpc.approve(outsider, 500, sender=holder)

    bpc.burn_from(holder, 200, sender=outsider)

    assert bpc.balanceOf(holder) == HELD - 200
    assert bpc.totalSupply() == HELD - 200
    assert bpc.allowance(holder, outsider) == 300


def test_burn_from__above_allowance__reverts(bpc: Any, holder: Any, outsider: Any) -> None:
    bpc.approve(outsider, 500, sender=holder)

    with ape.reverts(INSUFFICIENT):
        bpc.burn_from(holder, 501, sender=outsider)


def test_burn_from__without_allowance__reverts(bpc: Any, holder: Any, attacker: Any) -> None:
    with ape.reverts(INSUFFICIENT):
        bpc.burn_from(holder, 1, sender=attacker)


def test_burn_from__allowance_above_balance__reverts_on_balance(
    bpc: Any, holder: Any, outsider: Any
) -> None:
    bpc.approve(outsider, HELD + 1, sender=holder)

    with ape.reverts("erc20: burn amount exceeds balance"):
        bpc.burn_from(holder, HELD + 1, sender=outsider)


def test_burn_from__leaving_less_than_one_bpc__reverts(
    bpc: Any, holder: Any, outsider: Any
) -> None:
    bpc.approve(outsider, HELD, sender=holder)

    with ape.reverts("bpc: a burn may leave 0 or at least 1 BPC outstanding"):
        bpc.burn_from(holder, HELD - 1, sender=outsider)
