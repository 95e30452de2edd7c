"""Channels.transfer_ownership (snekmate's ownable): the council hands the window over."""

from typing import Any

import ape

from tests.channels_reasons import NOT_OWNER, WINDOW_MIN
from tests.unit.channels.helpers import ZERO


def test_transfer_ownership__by_the_council__new_owner_sets_the_window_old_one_cannot(
    channels: Any, pool_council: Any, council_seats: list[Any]
) -> None:
    successor = council_seats[1]

    tx = channels.transfer_ownership(successor, sender=pool_council)

    assert channels.owner() == successor.address
    assert tx.events.filter(channels.OwnershipTransferred) == [
        channels.OwnershipTransferred(
            previous_owner=pool_council.address, new_owner=successor.address
        )
    ]
    channels.set_challenge_window(WINDOW_MIN, sender=successor)
    with ape.reverts(NOT_OWNER):
        channels.set_challenge_window(WINDOW_MIN, sender=pool_council)


def test_transfer_ownership__by_anyone_else__reverts(
    channels: Any, attacker: Any, hub: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        channels.transfer_ownership(attacker, sender=attacker)
    with ape.reverts(NOT_OWNER):
        channels.transfer_ownership(hub, sender=hub)


def test_transfer_ownership__to_the_zero_address__reverts(channels: Any, pool_council: Any) -> None:
    with ape.reverts("ownable: new owner is the zero address"):
        channels.transfer_ownership(ZERO, sender=pool_council)
