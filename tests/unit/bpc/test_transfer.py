"""BPC.transfer: a holder moves its own BPC."""

from typing import Any

import ape

from tests.unit.bpc.conftest import HELD

ZERO = "0x" + "00" * 20


def test_transfer__within_balance__moves_and_logs(bpc: Any, holder: Any, provider: Any) -> None:
    tx = bpc.transfer(provider, 300, sender=holder)

    assert tx.return_value is True
    assert bpc.balanceOf(holder) == HELD - 300
    assert bpc.balanceOf(provider) == 300
    assert bpc.totalSupply() == HELD
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=holder.address, receiver=provider.address, value=300)
    ]


def test_transfer__whole_balance__empties_the_sender(bpc: Any, holder: Any, provider: Any):
    bpc.transfer(provider, HELD, sender=holder)

    assert bpc.balanceOf(holder) == 0


def test_transfer__more_than_the_balance__reverts(bpc: Any, holder: Any, provider: Any) -> None:
    with ape.reverts("erc20: transfer amount exceeds balance"):
        bpc.transfer(provider, HELD + 1, sender=holder)


def test_transfer__to_the_zero_address__reverts(bpc: Any, holder: Any) -> None:
    with ape.reverts("erc20: transfer to the zero address"):
        bpc.transfer(ZERO, 1, sender=holder)
