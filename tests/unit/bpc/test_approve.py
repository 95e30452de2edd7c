"""BPC.approve: a holder lets a spender take its BPC."""

from typing import Any

import ape

ZERO = "0x" + "00" * 20


def test_approve__spender__sets_allowance_and_logs(bpc: Any, holder: Any, royalties: Any):
    tx = bpc.approve(royalties, 500, sender=holder)

    assert tx.return_value is True
    assert bpc.allowance(holder, royalties) == 500
    assert tx.events.filter(bpc.Approval) == [
        bpc.Approval(owner=holder.address, spender=royalties.address, value=500)
    ]


def test_approve__again__replaces_the_allowance(bpc: Any, holder: Any, royalties: Any) -> None:
    bpc.approve(royalties, 500, sender=holder)

    bpc.approve(royalties, 0, sender=holder)

    assert bpc.allowance(holder, royalties) == 0


def test_approve__zero_spender__reverts(bpc: Any, holder: Any) -> None:
    with ape.reverts("erc20: approve to the zero address"):
        bpc.approve(ZERO, 1, sender=holder)
