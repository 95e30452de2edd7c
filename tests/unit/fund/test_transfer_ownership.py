"""Fund.transfer_ownership: the council hands the treasury to a new council."""

from typing import Any

import ape

NOT_OWNER = "ownable: caller is not the owner"
MEMO = bytes(32)


def test_transfer_ownership__by_the_council__new_owner_pays_old_one_cannot(
    bpc: Any, funded: Any, pool_council: Any, council_seats: list[Any], outsider: Any
) -> None:
    successor = council_seats[1]

    funded.transfer_ownership(successor, sender=pool_council)

    assert funded.owner() == successor.address
    funded.pay(bpc, outsider, 1, MEMO, sender=successor)
    with ape.reverts(NOT_OWNER):
        funded.pay(bpc, outsider, 1, MEMO, sender=pool_council)


def test_transfer_ownership__by_anyone_else__reverts(funded: Any, attacker: Any) -> None:
    with ape.reverts(NOT_OWNER):
        funded.transfer_ownership(attacker, sender=attacker)
