"""Governance.add_seat: council seats grow only through the council's own proposals."""

from typing import Any

import ape

from tests.fixtures.suite import Pass, calldata
from tests.unit.governance.helpers import ZERO


def test_add_seat__through_a_council_proposal__seats_and_logs(
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    outsider: Any,
    harmless_call: tuple[str, bytes],
) -> None:
    tx = council_pass.run([calldata(council, "add_seat", outsider.address)])

    assert council.is_seat(outsider)
    assert council.seat_count() == 4
    assert council.seats() == [s.address for s in council_seats] + [outsider.address]
    assert tx.events.filter(council.SeatAdded) == [council.SeatAdded(seat=outsider)]
    # The new seat proposes, and quorum now counts four seats.
    proposal = council.propose([harmless_call], "first motion", sender=outsider)
    assert council.proposals(proposal.return_value).seats == 4


def test_add_seat__called_by_a_seat__reverts(
    council: Any, council_seats: list[Any], outsider: Any
) -> None:
    with ape.reverts("governance: only through a proposal"):
        council.add_seat(outsider, sender=council_seats[0])


def test_add_seat__called_by_attacker_for_itself__reverts(council: Any, attacker: Any) -> None:
    with ape.reverts("governance: only through a proposal"):
        council.add_seat(attacker, sender=attacker)


def test_add_seat__zero_address__reverts(council: Any, council_pass: Pass) -> None:
    with ape.reverts("governance: seat is the zero address"):
        council_pass.run([calldata(council, "add_seat", ZERO)])


def test_add_seat__already_a_seat__reverts(
    council: Any, council_pass: Pass, council_seats: list[Any]
) -> None:
    with ape.reverts("governance: already a seat"):
        council_pass.run([calldata(council, "add_seat", council_seats[1].address)])

    assert council.seat_count() == 3


def test_add_seat__through_a_congress_proposal__reverts(
    congress: Any, congress_pass: Pass, outsider: Any
) -> None:
    with ape.reverts("governance: congress seats follow the alliance"):
        congress_pass.run([calldata(congress, "add_seat", outsider.address)])

    assert not congress.is_seat(outsider)
    assert congress.seats() == []


def test_add_seat__called_directly_on_congress__reverts(
    congress: Any, members: list[Any], outsider: Any
) -> None:
    with ape.reverts("governance: only through a proposal"):
        congress.add_seat(outsider, sender=members[0])
