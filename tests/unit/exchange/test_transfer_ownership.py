"""Exchange.transfer_ownership: the council hands the exchange to a new council."""

from typing import Any

import ape

from tests.unit.exchange.helpers import NOT_CANCELLER, NOT_OWNER


def test_transfer_ownership__by_the_council__moves_every_owner_call(
    exchange: Any, pool_council: Any, council_seats: list[Any], assignment: int
) -> None:
    successor = council_seats[1]

    exchange.transfer_ownership(successor, sender=pool_council)

    assert exchange.owner() == successor.address
    with ape.reverts(NOT_OWNER):
        exchange.set_pool_share(0, sender=pool_council)
    with ape.reverts(NOT_CANCELLER):
        exchange.cancel(assignment, sender=pool_council)
    exchange.cancel(assignment, sender=successor)


def test_transfer_ownership__by_anyone_else__reverts(exchange: Any, actors: dict[str, Any]) -> None:
    attacker = actors["attacker"]

    with ape.reverts(NOT_OWNER):
        exchange.transfer_ownership(attacker, sender=attacker)
