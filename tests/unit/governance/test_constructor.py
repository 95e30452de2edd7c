"""Governance.__init__: a council (seats, no alliance) or a congress (alliance, no seats)."""

from typing import Any

import ape
import pytest

from tests.fixtures.suite import TIMING
from tests.unit.governance.helpers import ZERO

TIMES = (TIMING.voting_period, TIMING.execution_delay, TIMING.grace_period)


def assert_deploy_logged(chain: Any, gov: Any, seats: list[Any]) -> None:
    """`gov`'s deploy receipt logs SeatAdded for each of `seats`, then the suite's timing."""
    events = chain.get_receipt(gov.txn_hash).events
    assert events.filter(gov.SeatAdded) == [gov.SeatAdded(seat=s) for s in seats]
    assert events.filter(gov.ParametersChanged) == [
        gov.ParametersChanged(
            voting_period=TIMING.voting_period,
            execution_delay=TIMING.execution_delay,
            grace_period=TIMING.grace_period,
        )
    ]


def test_constructor__council__seats_name_and_timing_set(
    chain: Any, project: Any, deployer: Any, council_seats: list[Any], outsider: Any
) -> None:
    seats = [s.address for s in council_seats]

    council = project.Governance.deploy("council", seats, ZERO, *TIMES, sender=deployer)

    assert council.name() == "council"
    assert council.ALLIANCE() == ZERO
    assert council.seats() == seats
    assert council.seat_count() == 3
    assert all(council.is_seat(s) for s in seats)
    assert not council.is_seat(outsider)
    assert council.voting_period() == TIMING.voting_period
    assert council.execution_delay() == TIMING.execution_delay
    assert council.grace_period() == TIMING.grace_period
    assert council.proposal_count() == 0
    assert_deploy_logged(chain, council, seats)


def test_constructor__congress__seats_follow_the_alliance(
    chain: Any, congress: Any, alliance: Any, council_seats: list[Any]
) -> None:
    assert congress.name() == "congress"
    assert congress.ALLIANCE() == alliance.address
    assert congress.seats() == []
    assert congress.seat_count() == alliance.active_count() == 0
    # The council's seats are not congress seats: they are not alliance members.
    assert not congress.is_seat(council_seats[0])
    assert_deploy_logged(chain, congress, [])


def test_constructor__zero_execution_delay__accepted(
    project: Any, deployer: Any, council_seats: list[Any]
) -> None:
    council = project.Governance.deploy(
        "council", [council_seats[0].address], ZERO, 1, 0, 1, sender=deployer
    )

    assert (council.voting_period(), council.execution_delay(), council.grace_period()) == (1, 0, 1)


def test_constructor__council_without_seats__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts("governance: a council needs seats"):
        project.Governance.deploy("council", [], ZERO, *TIMES, sender=deployer)


def test_constructor__congress_with_seats__reverts(
    project: Any, deployer: Any, alliance: Any, council_seats: list[Any]
) -> None:
    with ape.reverts("governance: congress seats follow the alliance"):
        project.Governance.deploy(
            "congress", [council_seats[0].address], alliance.address, *TIMES, sender=deployer
        )


def test_constructor__zero_address_seat__reverts(
    project: Any, deployer: Any, council_seats: list[Any]
) -> None:
    with ape.reverts("governance: seat is the zero address"):
        project.Governance.deploy(
            "council", [council_seats[0].address, ZERO], ZERO, *TIMES, sender=deployer
        )


def test_constructor__duplicate_seat__reverts(
    project: Any, deployer: Any, council_seats: list[Any]
) -> None:
    seats = [council_seats[0].address, council_seats[1].address, council_seats[0].address]

    with ape.reverts("governance: already a seat"):
        project.Governance.deploy("council", seats, ZERO, *TIMES, sender=deployer)


@pytest.mark.parametrize(
    "times, reason",
    [
        ((0, 600, 7200), "governance: voting period must be positive"),
        ((3600, 600, 0), "governance: grace period must be positive"),
    ],
    ids=["voting_period", "grace_period"],
)
def test_constructor__zero_period__reverts(
    project: Any, deployer: Any, council_seats: list[Any], times: tuple[int, int, int], reason: str
) -> None:
    with ape.reverts(reason):
        project.Governance.deploy(
            "council", [council_seats[0].address], ZERO, *times, sender=deployer
        )
