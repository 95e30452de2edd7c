"""Licensing.transfer_ownership: the council hands the licence desk to a new council."""

from typing import Any

import ape

from bpsa.core.codes import Kind
from tests.unit.licensing.helpers import NOT_OWNER, ZERO


def test_transfer_ownership__by_the_council__moves_every_owner_call(
    licensing: Any, pool_council: Any, council_seats: list[Any], centre: Any
) -> None:
    successor = council_seats[1]

    licensing.transfer_ownership(successor, sender=pool_council)

    assert licensing.owner() == successor.address
    with ape.reverts(NOT_OWNER):
        licensing.grant(centre, sender=pool_council)
    licensing.grant(centre, sender=successor)
    licensing.set_tier(int(Kind.SME), 0, sender=successor)


def test_transfer_ownership__to_the_zero_address__reverts(
    licensing: Any, pool_council: Any
) -> None:
    with ape.reverts("ownable: new owner is the zero address"):
        licensing.transfer_ownership(ZERO, sender=pool_council)


def test_transfer_ownership__by_anyone_else__reverts(licensing: Any, attacker: Any) -> None:
    with ape.reverts(NOT_OWNER):
        licensing.transfer_ownership(attacker, sender=attacker)
