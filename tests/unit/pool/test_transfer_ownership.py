"""PatentPool.transfer_ownership: the council hands the registry to a new council."""

from typing import Any

import ape

from tests.fixtures.pool import PARAMS
from tests.unit.pool.helpers import NOT_OWNER


def test_transfer_ownership__by_the_council__moves_every_owner_call(
    patent_pool: Any, pool_council: Any, council_seats: list[Any], rated: bytes
) -> None:
    successor = council_seats[1]

    patent_pool.transfer_ownership(successor, sender=pool_council)

    assert patent_pool.owner() == successor.address
    with ape.reverts(NOT_OWNER):
        patent_pool.pool(rated, sender=pool_council)
    patent_pool.pool(rated, sender=successor)
    patent_pool.set_parameters(3, PARAMS.core_threshold, 0, sender=successor)


def test_transfer_ownership__by_anyone_else__reverts(patent_pool: Any, attacker: Any) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.transfer_ownership(attacker, sender=attacker)
