"""Infringements.transfer_ownership: the council hands the case register to a new council,
which then sets the bond and resolves cases."""

from typing import Any

import ape

from tests.infringements_reasons import NOT_OWNER, NOT_RESOLVER
from tests.unit.infringements.helpers import ZERO


def test_transfer_ownership__by_the_council__moves_the_owner_calls_and_the_resolver_seat(
    infringements: Any, pool_council: Any, council_seats: list[Any], filed_case: int
) -> None:
    successor = council_seats[1]

    tx = infringements.transfer_ownership(successor, sender=pool_council)

    assert infringements.owner() == successor.address
    assert tx.events.filter(infringements.OwnershipTransferred)[0].new_owner == successor.address
    with ape.reverts(NOT_OWNER):
        infringements.set_bond(0, False, sender=pool_council)
    with ape.reverts(NOT_RESOLVER):
        infringements.dismiss(filed_case, sender=pool_council)
    infringements.set_bond(0, False, sender=successor)
    infringements.dismiss(filed_case, sender=successor)


def test_transfer_ownership__to_the_zero_address__reverts(
    infringements: Any, pool_council: Any
) -> None:
    with ape.reverts("ownable: new owner is the zero address"):
        infringements.transfer_ownership(ZERO, sender=pool_council)


def test_transfer_ownership__by_anyone_else__reverts(infringements: Any, attacker: Any) -> None:
    with ape.reverts(NOT_OWNER):
        infringements.transfer_ownership(attacker, sender=attacker)
