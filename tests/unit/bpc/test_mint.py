"""BPC.mint: only the pool mints."""

from typing import Any

import ape
import pytest

ZERO = "0x" + "00" * 20
DENIED = "erc20: access is denied"


def test_mint__by_the_pool__credits_the_holder_and_the_supply(
    bpc: Any, minter: Any, licensee: Any
) -> None:
    tx = bpc.mint(licensee, 7 * 10**18, sender=minter)

    assert bpc.balanceOf(licensee) == 7 * 10**18
    assert bpc.totalSupply() == 7 * 10**18
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=ZERO, receiver=licensee.address, value=7 * 10**18)
    ]


@pytest.mark.parametrize(
    "caller", ["deployer", "pool_council", "attacker", "provider"], indirect=True
)
def test_mint__by_anyone_but_the_pool__reverts(bpc: Any, licensee: Any, caller: Any) -> None:
    with ape.reverts(DENIED):
        bpc.mint(licensee, 1, sender=caller)


def test_mint__to_the_zero_address__reverts(bpc: Any, minter: Any) -> None:
    with ape.reverts("erc20: mint to the zero address"):
        bpc.mint(ZERO, 1, sender=minter)
