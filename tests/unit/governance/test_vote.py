"""Governance.vote: one vote per eligible seat, while voting is open."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Vote
from tests.fixtures.suite import Pass, at, calldata, decide
from tests.unit.governance.helpers import proposed_before, queue, same_block, vote_end

TAKEN_AFTER = "governance: seat taken after the proposal"
NOT_A_SEAT = "governance: voter is not a seat"


@pytest.mark.parametrize(
    "support, tally",
    [(Vote.NO, (0, 1, 0)), (Vote.YES, (1, 0, 0)), (Vote.ABSTAIN, (0, 0, 1))],
    ids=["no", "yes", "abstain"],
)
def test_vote__council_seat__counts_in_its_column_and_logs(
    council: Any, council_seats: list[Any], proposal: int, support: Vote, tally: tuple[int, ...]
) -> None:
    voter = council_seats[2]

    tx = council.vote(proposal, int(support), sender=voter)

    stored = council.proposals(proposal)
    assert (stored.yes, stored.no, stored.abstain) == tally
    assert council.voted(proposal, voter)
    assert not council.voted(proposal, council_seats[0])
    assert tx.events == [council.VoteCast(proposal_id=proposal, voter=voter, support=int(support))]


def test_vote__congress_member__counts(
    congress: Any, members: list[Any], congress_proposal: int
) -> None:
    tx = congress.vote(congress_proposal, int(Vote.YES), sender=members[1])

    assert congress.proposals(congress_proposal).yes == 1
    assert congress.voted(congress_proposal, members[1])
    assert tx.events == [
        congress.VoteCast(proposal_id=congress_proposal, voter=members[1], support=1)
    ]


def test_vote__same_seat_twice__reverts(
    council: Any, council_seats: list[Any], proposal: int
) -> None:
    council.vote(proposal, int(Vote.YES), sender=council_seats[1])

    with ape.reverts("governance: already voted"):
        council.vote(proposal, int(Vote.NO), sender=council_seats[1])


@pytest.mark.parametrize("support", [3, 255])
def test_vote__support_out_of_range__reverts(
    council: Any, council_seats: list[Any], proposal: int, support: int
) -> None:
    with ape.reverts("governance: support must be 0 (no), 1 (yes) or 2 (abstain)"):
        council.vote(proposal, support, sender=council_seats[1])


def test_vote__not_a_seat__reverts(council: Any, attacker: Any, proposal: int) -> None:
    with ape.reverts("governance: voter is not a seat"):
        council.vote(proposal, int(Vote.YES), sender=attacker)


@pytest.mark.parametrize("proposal_id", [0, 2])
def test_vote__unknown_proposal__reverts(
    council: Any, council_seats: list[Any], proposal: int, proposal_id: int
) -> None:
    with ape.reverts("governance: unknown proposal"):
        council.vote(proposal_id, int(Vote.YES), sender=council_seats[0])


def test_vote__cancelled_proposal__reverts(
    council: Any, council_seats: list[Any], proposal: int
) -> None:
    council.cancel(proposal, sender=council_seats[0])

    with ape.reverts("governance: proposal cancelled"):
        council.vote(proposal, int(Vote.YES), sender=council_seats[1])


def test_vote__one_second_before_vote_end__counts(
    chain: Any, council: Any, council_seats: list[Any], proposal: int
) -> None:
    at(chain, vote_end(council, proposal) - 1)

    council.vote(proposal, int(Vote.YES), sender=council_seats[1])

    assert council.proposals(proposal).yes == 1


@pytest.mark.parametrize("offset", [0, 1], ids=["at_vote_end", "after_vote_end"])
def test_vote__voting_closed__reverts(
    chain: Any, council: Any, council_seats: list[Any], proposal: int, offset: int
) -> None:
    at(chain, vote_end(council, proposal) + offset)

    with ape.reverts("governance: voting closed"):
        council.vote(proposal, int(Vote.YES), sender=council_seats[1])


def test_vote__seat_added_after_the_proposal__reverts(
    council: Any, outsider: Any, proposals_around_a_new_seat: tuple[int, int]
) -> None:
    earlier, later = proposals_around_a_new_seat

    with ape.reverts("governance: seat taken after the proposal"):
        council.vote(earlier, int(Vote.YES), sender=outsider)
    council.vote(later, int(Vote.YES), sender=outsider)  # the new seat votes on what follows
    assert council.proposals(later).yes == 1


def test_vote__seat_added_in_the_proposal_block_after_it__reverts(
    chain: Any,
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    outsider: Any,
    harmless_call: tuple[str, bytes],
) -> None:
    # Same block, proposal first: the new seat was not counted, so it must not vote.
    add = [calldata(council, "add_seat", outsider.address)]
    adding = queue(council_pass, add)
    same_block(
        chain,
        (council_seats[0], council.address, council.propose.encode_input([harmless_call], "x")),
        (council_seats[1], council.address, council.execute.encode_input(adding, add)),
    )
    proposal = int(council.proposal_count())
    assert council.is_seat(outsider)
    assert council.proposals(proposal).seats == 3
    assert not council.can_vote(proposal, outsider)

    with ape.reverts("governance: seat taken after the proposal"):
        council.vote(proposal, int(Vote.YES), sender=outsider)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [(["remove_seat"], NOT_A_SEAT), (["remove_seat", "add_seat"], TAKEN_AFTER)],
    ids=["removed", "removed_and_added_again"],
)
def test_vote__seat_removed_or_added_again_after_the_proposal__reverts(
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    harmless_call: tuple[str, bytes],
    changes: list[str],
    reason: str,
) -> None:
    # A seat added again restarts its tenure: it is not one of the seats the proposal counted.
    seat = council_seats[2]
    calls = [calldata(council, change, seat.address) for change in changes]
    proposal = proposed_before(council_pass, calls, council, council_seats[0], harmless_call)
    assert council.is_seat(seat) == (reason == TAKEN_AFTER)

    with ape.reverts(reason):
        council.vote(proposal, int(Vote.YES), sender=seat)


@pytest.mark.parametrize(
    ("change", "reason"),
    [("admit", TAKEN_AFTER), ("suspend", NOT_A_SEAT), ("reinstate", TAKEN_AFTER)],
    ids=["admitted", "suspended", "reinstated"],
)
def test_vote__member_admitted_suspended_or_reinstated_after_the_proposal__reverts(
    alliance: Any,
    congress: Any,
    council_pass: Pass,
    members: list[Any],
    enterprise: Any,
    harmless_call: tuple[str, bytes],
    change: str,
    reason: str,
) -> None:
    voter = enterprise if change == "admit" else members[1]
    if change == "admit":
        alliance.apply(4, bytes.fromhex("22" * 32), sender=enterprise)
        changes = [decide(alliance, "admit", enterprise)]
    else:
        if change == "reinstate":
            council_pass.run([calldata(alliance, "suspend", voter.address)])
        changes = [calldata(alliance, change, voter.address)]
    proposal = proposed_before(council_pass, changes, congress, members[0], harmless_call)
    assert congress.is_seat(voter) == (change != "suspend")

    with ape.reverts(reason):
        congress.vote(proposal, int(Vote.YES), sender=voter)
