"""Governance.remove_seat: council seats shrink only through proposals, never to none."""

from typing import Any

import ape
import pytest

from tests.fixtures.suite import TIMING, Pass, calldata
from tests.unit.governance.helpers import ZERO


@pytest.mark.parametrize(
    "removed, left",
    [(2, [0, 1]), (1, [0, 2]), (0, [2, 1])],
    ids=["last_in_list", "middle", "first"],
)
def test_remove_seat__through_a_council_proposal__unseats_and_logs(
    council: Any, council_pass: Pass, council_seats: list[Any], removed: int, left: list[int]
) -> None:
    seat = council_seats[removed]

    tx = council_pass.run([calldata(council, "remove_seat", seat.address)])

    assert not council.is_seat(seat)
    assert council.seat_count() == 2
    # The last seat moves into the freed slot.
    assert council.seats() == [council_seats[i].address for i in left]
    assert all(council.is_seat(council_seats[i]) for i in left)
    assert tx.events.filter(council.SeatRemoved) == [council.SeatRemoved(seat=seat)]


def test_remove_seat__removed_seat__can_no_longer_propose(
    council: Any, council_pass: Pass, council_seats: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    council_pass.run([calldata(council, "remove_seat", council_seats[2].address)])

    with ape.reverts("governance: proposer is not a seat"):
        council.propose([harmless_call], "still here?", sender=council_seats[2])


def test_remove_seat__called_by_a_seat__reverts(council: Any, council_seats: list[Any]) -> None:
    with ape.reverts("governance: only through a proposal"):
        council.remove_seat(council_seats[1], sender=council_seats[0])


def test_remove_seat__not_a_seat__reverts(council: Any, council_pass: Pass, outsider: Any) -> None:
    with ape.reverts("governance: not a seat"):
        council_pass.run([calldata(council, "remove_seat", outsider.address)])


def test_remove_seat__zero_address__reverts(council: Any, council_pass: Pass) -> None:
    with ape.reverts("governance: not a seat"):
        council_pass.run([calldata(council, "remove_seat", ZERO)])


def test_remove_seat__last_seat__reverts(
    chain: Any, project: Any, deployer: Any, council_seats: list[Any]
) -> None:
    lone = council_seats[0]
    times = (TIMING.voting_period, TIMING.execution_delay, TIMING.grace_period)
    council = project.Governance.deploy("council", [lone.address], ZERO, *times, sender=deployer)

    with ape.reverts("governance: cannot remove the last seat"):
        Pass(chain, council, [lone]).run([calldata(council, "remove_seat", lone.address)])

    assert council.seats() == [lone.address]


def test_remove_seat__every_seat_in_one_proposal__reverts_at_the_last(
    council: Any, council_pass: Pass, council_seats: list[Any]
) -> None:
    calls = [calldata(council, "remove_seat", s.address) for s in council_seats]

    with ape.reverts("governance: cannot remove the last seat"):
        council_pass.run(calls)

    assert council.seat_count() == 3


def test_remove_seat__through_a_congress_proposal__reverts(
    congress: Any, congress_pass: Pass, members: list[Any]
) -> None:
    with ape.reverts("governance: congress seats follow the alliance"):
        congress_pass.run([calldata(congress, "remove_seat", members[1].address)])

    assert congress.is_seat(members[1])
