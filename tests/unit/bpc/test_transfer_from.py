"""BPC.transferFrom: a spender moves a holder's BPC within its allowance."""

from typing import Any

import ape

from tests.unit.bpc.conftest import HELD

MAX = 2**256 - 1
INSUFFICIENT = "erc20: insufficient allowance"


def test_transfer_from__within_allowance__moves_and_spends_the_allowance(
    bpc: Any, holder: Any, provider: Any, outsider: Any
) -> None:
    bpc.approve(outsider, 500, sender=holder)

    tx = bpc.transferFrom(holder, provider, 200, sender=outsider)

    assert bpc.balanceOf(holder) == HELD - 200
    assert bpc.balanceOf(provider) == 200
    assert bpc.allowance(holder, outsider) == 300
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=holder.address, receiver=provider.address, value=200)
    ]


def test_transfer_from__unlimited_allowance__is_not_spent(
    bpc: Any, holder: Any, provider: Any, outsider: Any
) -> None:
    bpc.approve(outsider, MAX, sender=holder)

    bpc.transferFrom(holder, provider, 200, sender=outsider)

    assert bpc.allowance(holder, outsider) == MAX


def test_transfer_from__above_allowance__reverts(
    bpc: Any, holder: Any, provider: Any, outsider: Any
) -> None:
    bpc.approve(outsider, 500, sender=holder)

    with ape.reverts(INSUFFICIENT):
        bpc.transferFrom(holder, provider, 501, sender=outsider)


def test_transfer_from__without_allowance__reverts(bpc: Any, holder: Any, attacker: Any) -> None:
    with ape.reverts(INSUFFICIENT):
        bpc.transferFrom(holder, attacker, 1, sender=attacker)


def test_transfer_from__allowance_above_balance__reverts_on_balance(
    bpc: Any, holder: Any, provider: Any, outsider: Any
) -> None:
    bpc.approve(outsider, HELD + 1, sender=holder)

    with ape.reverts("erc20: transfer amount exceeds balance"):
        bpc.transferFrom(holder, provider, HELD + 1, sender=outsider)
