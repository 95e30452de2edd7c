"""Assertions shared by the BPR unit tests (fixtures are in conftest.py)."""

from typing import Any

from tests.unit.licensing.helpers import ZERO


def assert_licence_moved(bpr: Any, tx: Any, sender: Any, receiver: Any, supply: int) -> None:
    """`tx` moved one licence from `sender` to `receiver` (ZERO for a mint or a burn): the
    balances it left, the supply, and its one `Transfer` event."""
    held_after = [(sender, 0), (receiver, 1)]
    for holder, held in held_after:
        if holder != ZERO:
            assert bpr.balanceOf(holder) == held
    assert bpr.totalSupply() == supply
    assert tx.events.filter(bpr.Transfer) == [
        bpr.Transfer(
            sender=str(getattr(sender, "address", sender)),
            receiver=str(getattr(receiver, "address", receiver)),
            value=1,
        )
    ]
