"""Fund.approve: the council lets a spender take the fund's tokens."""

from typing import Any

import ape
import pytest

ZERO = "0x" + "00" * 20
NOT_OWNER = "ownable: caller is not the owner"


def test_approve__by_the_council__sets_allowance_and_logs(
    bpc: Any, funded: Any, pool_council: Any, outsider: Any
) -> None:
    tx = funded.approve(bpc, outsider, 40 * 10**18, sender=pool_council)

    assert bpc.allowance(funded, outsider) == 40 * 10**18
    assert tx.events.filter(funded.Approved) == [
        funded.Approved(token=bpc.address, spender=outsider.address, amount=40 * 10**18)
    ]
    bpc.transferFrom(funded, outsider, 40 * 10**18, sender=outsider)
    assert bpc.balanceOf(outsider) == 40 * 10**18


def test_approve__zero_amount__withdraws_the_allowance(
    bpc: Any, funded: Any, pool_council: Any, outsider: Any
) -> None:
    funded.approve(bpc, outsider, 40 * 10**18, sender=pool_council)

    funded.approve(bpc, outsider, 0, sender=pool_council)

    assert bpc.allowance(funded, outsider) == 0
    with ape.reverts("erc20: insufficient allowance"):
        bpc.transferFrom(funded, outsider, 1, sender=outsider)


@pytest.mark.parametrize("caller", ["attacker", "provider"], indirect=True)
def test_approve__not_the_council__reverts(bpc: Any, funded: Any, caller: Any) -> None:
    with ape.reverts(NOT_OWNER):
        funded.approve(bpc, caller, 10**18, sender=caller)


def test_approve__zero_spender__reverts(bpc: Any, funded: Any, pool_council: Any) -> None:
    with ape.reverts("fund: spender is the zero address"):
        funded.approve(bpc, ZERO, 1, sender=pool_council)
