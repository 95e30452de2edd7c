"""Governance views: state through a proposal's life, the pass rule, seats, can_vote, hash_calls."""

from typing import Any

import pytest

from bpsa.core.codes import Kind, ProposalState, Vote
from tests.fixtures.suite import IDENTITY, TIMING, Pass, calldata, decide, mine_at
from tests.unit.governance.helpers import (
    ZERO,
    calls_hash,
    eta,
    expiry,
    proposed_before,
    queue,
    vote_end,
)

YES, NO, ABSTAIN = Vote.YES, Vote.NO, Vote.ABSTAIN


@pytest.fixture
def council4(
    project: Any, deployer: Any, council_seats: list[Any], outsider: Any
) -> tuple[Any, list[Any]]:
    """A council of four seats, so that turnout can be exactly half."""
    seats = [*council_seats, outsider]
    times = (TIMING.voting_period, TIMING.execution_delay, TIMING.grace_period)
    gov = project.Governance.deploy(
        "council", [s.address for s in seats], ZERO, *times, sender=deployer
    )
    return gov, seats


def _state_after_votes(
    chain: Any, gov: Any, seats: list[Any], call: tuple[str, bytes], votes: list[Vote]
) -> int:
    proposal = int(gov.propose([call], "tally", sender=seats[0]).return_value)
    for seat, support in zip(seats, votes, strict=False):
        gov.vote(proposal, int(support), sender=seat)
    mine_at(chain, vote_end(gov, proposal))
    return int(gov.state(proposal))


def _ids(value: Any) -> str:
    if isinstance(value, list):
        return "-".join(v.name for v in value) or "NONE"
    return str(value.name)


# --- state ---------------------------------------------------------------------------------


@pytest.mark.parametrize("proposal_id", [0, 1, 2**256 - 1])
def test_state__unknown_proposal__none(council: Any, proposal_id: int) -> None:
    assert council.state(proposal_id) == ProposalState.NONE


def test_state__passed_proposal__voting_queued_ready_expired_at_each_boundary(
    chain: Any, council: Any, passed: int
) -> None:
    timeline = [
        (vote_end(council, passed) - 1, ProposalState.VOTING),
        (vote_end(council, passed), ProposalState.QUEUED),
        (eta(council, passed) - 1, ProposalState.QUEUED),
        (eta(council, passed), ProposalState.READY),
        (expiry(council, passed) - 1, ProposalState.READY),
        (expiry(council, passed), ProposalState.EXPIRED),
        (expiry(council, passed) + 365 * 24 * 3600, ProposalState.EXPIRED),
    ]
    assert council.state(passed) == ProposalState.VOTING
    for timestamp, state in timeline:
        mine_at(chain, timestamp)
        assert council.state(passed) == state, timestamp


def test_state__unpassed_proposal__defeated_from_vote_end_on(
    chain: Any, council: Any, proposal: int
) -> None:
    mine_at(chain, vote_end(council, proposal) - 1)
    assert council.state(proposal) == ProposalState.VOTING

    mine_at(chain, vote_end(council, proposal))
    assert council.state(proposal) == ProposalState.DEFEATED
    mine_at(chain, expiry(council, proposal))
    assert council.state(proposal) == ProposalState.DEFEATED


def test_state__executed__stays_executed_past_expiry(
    chain: Any, council: Any, executed: int
) -> None:
    assert council.state(executed) == ProposalState.EXECUTED

    mine_at(chain, expiry(council, executed))
    assert council.state(executed) == ProposalState.EXECUTED


def test_state__cancelled__stays_cancelled_though_it_passed(
    chain: Any, council: Any, council_seats: list[Any], passed: int
) -> None:
    council.cancel(passed, sender=council_seats[0])
    assert council.state(passed) == ProposalState.CANCELLED

    mine_at(chain, eta(council, passed))
    assert council.state(passed) == ProposalState.CANCELLED


@pytest.mark.parametrize(
    "votes, state",
    [
        ([], ProposalState.DEFEATED),
        ([YES], ProposalState.DEFEATED),  # turnout 1 of 3: no quorum
        ([YES, ABSTAIN], ProposalState.QUEUED),  # the abstention makes the quorum
        ([YES, YES], ProposalState.QUEUED),
        ([YES, NO], ProposalState.DEFEATED),  # tie
        ([YES, NO, ABSTAIN], ProposalState.DEFEATED),  # abstention is not a yes
        ([YES, YES, NO], ProposalState.QUEUED),
        ([NO, NO, YES], ProposalState.DEFEATED),
        ([ABSTAIN, ABSTAIN, ABSTAIN], ProposalState.DEFEATED),  # full turnout, no yes
        ([ABSTAIN, ABSTAIN, YES], ProposalState.QUEUED),
    ],
    ids=_ids,
)
def test_state__three_seats_at_vote_end__passes_on_quorum_and_majority(
    chain: Any,
    council: Any,
    council_seats: list[Any],
    harmless_call: tuple[str, bytes],
    votes: list[Vote],
    state: ProposalState,
) -> None:
    assert _state_after_votes(chain, council, council_seats, harmless_call, votes) == state


@pytest.mark.parametrize(
    "votes, state",
    [
        ([YES, YES], ProposalState.DEFEATED),  # exactly half the seats: no quorum
        ([YES, ABSTAIN], ProposalState.DEFEATED),
        ([YES, YES, ABSTAIN], ProposalState.QUEUED),  # one more than half
        ([YES, ABSTAIN, ABSTAIN], ProposalState.QUEUED),
        ([YES, NO, ABSTAIN], ProposalState.DEFEATED),
        ([YES, YES, NO, NO], ProposalState.DEFEATED),  # full turnout, tie
        ([YES, YES, YES, NO], ProposalState.QUEUED),
    ],
    ids=_ids,
)
def test_state__four_seats_at_vote_end__passes_on_quorum_and_majority(
    chain: Any,
    council4: tuple[Any, list[Any]],
    harmless_call: tuple[str, bytes],
    votes: list[Vote],
    state: ProposalState,
) -> None:
    gov, seats = council4

    assert _state_after_votes(chain, gov, seats, harmless_call, votes) == state


def test_state__seats_removed_after_creation__quorum_still_counts_the_original_seats(
    council: Any, council_pass: Pass, council_seats: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    proposal = council_pass.propose([harmless_call])
    council.vote(proposal, int(YES), sender=council_seats[0])  # 1 of 3: no quorum

    council_pass.run([calldata(council, "remove_seat", s.address) for s in council_seats[1:]])

    assert council.seat_count() == 1  # 1 of 1 now, but the proposal counted 3
    assert council.state(proposal) == ProposalState.DEFEATED


def test_state__members_admitted_after_creation__quorum_still_counts_the_original_seats(
    alliance: Any,
    congress: Any,
    council: Any,
    council_pass: Pass,
    members: list[Any],
    enterprise: Any,
    university: Any,
    harmless_call: tuple[str, bytes],
) -> None:
    alliance.apply(int(Kind.LARGE_ENTERPRISE), IDENTITY, sender=enterprise)
    alliance.apply(int(Kind.NON_PROFIT), IDENTITY, sender=university)
    admit = [decide(alliance, "admit", a) for a in (enterprise, university)]
    admitting = queue(council_pass, admit)
    proposal = int(congress.propose([harmless_call], "motion", sender=members[0]).return_value)
    for member in members:
        congress.vote(proposal, int(YES), sender=member)  # 2 of 2 at creation

    council.execute(admitting, admit, sender=enterprise)
    mine_at(council_pass.chain, vote_end(congress, proposal))

    assert congress.seat_count() == 4  # 2 of 4 now, but the proposal counted 2
    assert congress.proposals(proposal).seats == 2
    assert congress.state(proposal) == ProposalState.QUEUED


# --- seats ---------------------------------------------------------------------------------


def test_is_seat__council__only_the_seats(
    council: Any, council_seats: list[Any], outsider: Any, attacker: Any
) -> None:
    assert all(council.is_seat(s) for s in council_seats)
    assert not council.is_seat(outsider)
    assert not council.is_seat(attacker)
    assert not council.is_seat(ZERO)


def test_seats__council__in_deploy_order(council: Any, council_seats: list[Any]) -> None:
    assert council.seats() == [s.address for s in council_seats]
    assert council.seat_count() == 3


def test_is_seat__congress__only_active_members(
    alliance: Any,
    congress: Any,
    council_pass: Pass,
    members: list[Any],
    council_seats: list[Any],
    enterprise: Any,
) -> None:
    alliance.apply(int(Kind.LARGE_ENTERPRISE), IDENTITY, sender=enterprise)
    assert all(congress.is_seat(m) for m in members)
    assert not congress.is_seat(enterprise)  # applied, not admitted
    assert not congress.is_seat(council_seats[0])

    council_pass.run([calldata(alliance, "suspend", members[1].address)])

    assert congress.is_seat(members[0])
    assert not congress.is_seat(members[1])


def test_seat_count__congress__follows_the_alliance_active_count(
    alliance: Any, congress: Any, council_pass: Pass, applicants: list[Any]
) -> None:
    assert congress.seat_count() == alliance.active_count() == 0

    council_pass.run([decide(alliance, "admit", a) for a in applicants])
    assert congress.seat_count() == alliance.active_count() == 2

    council_pass.run([calldata(alliance, "suspend", applicants[0].address)])
    assert congress.seat_count() == alliance.active_count() == 1

    council_pass.run([calldata(alliance, "expel", applicants[1].address)])
    assert congress.seat_count() == alliance.active_count() == 0
    assert congress.seats() == []  # the congress keeps no list of its own


# --- can_vote ------------------------------------------------------------------------------


def test_can_vote__council_proposal__open_to_seats_that_have_not_voted(
    council: Any, council_seats: list[Any], outsider: Any, proposal: int
) -> None:
    assert all(council.can_vote(proposal, s) for s in council_seats)
    assert not council.can_vote(proposal, outsider)
    assert not council.can_vote(proposal + 1, council_seats[0])  # unknown proposal

    council.vote(proposal, int(NO), sender=council_seats[1])

    assert not council.can_vote(proposal, council_seats[1])
    assert council.can_vote(proposal, council_seats[0])


def test_can_vote__voting_closed__false(
    chain: Any, council: Any, council_seats: list[Any], proposal: int
) -> None:
    mine_at(chain, vote_end(council, proposal) - 1)
    assert council.can_vote(proposal, council_seats[0])

    mine_at(chain, vote_end(council, proposal))
    assert not council.can_vote(proposal, council_seats[0])


def test_can_vote__cancelled__false(council: Any, council_seats: list[Any], proposal: int) -> None:
    council.cancel(proposal, sender=council_seats[0])

    assert not council.can_vote(proposal, council_seats[1])


def test_can_vote__seat_added_after_the_proposal__false(
    council: Any, outsider: Any, proposals_around_a_new_seat: tuple[int, int]
) -> None:
    earlier, later = proposals_around_a_new_seat

    assert not council.can_vote(earlier, outsider)
    assert council.can_vote(later, outsider)


def test_can_vote__congress__only_members_active_before_the_proposal(
    alliance: Any,
    congress: Any,
    council_pass: Pass,
    members: list[Any],
    enterprise: Any,
    harmless_call: tuple[str, bytes],
) -> None:
    alliance.apply(int(Kind.LARGE_ENTERPRISE), IDENTITY, sender=enterprise)
    changes = [
        decide(alliance, "admit", enterprise),
        calldata(alliance, "suspend", members[1].address),
    ]
    proposal = proposed_before(council_pass, changes, congress, members[0], harmless_call)

    assert congress.can_vote(proposal, members[0])
    assert not congress.can_vote(proposal, members[1])  # suspended
    assert not congress.can_vote(proposal, enterprise)  # admitted after the proposal


# --- hash_calls ----------------------------------------------------------------------------


def test_hash_calls__proposal_calls__match_the_stored_hash(
    alliance: Any, council: Any, council_seats: list[Any], startup: Any
) -> None:
    calls = [decide(alliance, "admit", startup), calldata(alliance, "active_count")]
    proposal = int(council.propose(calls, "two", sender=council_seats[0]).return_value)

    stored = council.proposals(proposal).calls_hash
    assert council.hash_calls(calls) == stored == calls_hash(calls)
    assert council.hash_calls(calls[::-1]) != stored
    assert council.hash_calls(calls[:1]) != stored
