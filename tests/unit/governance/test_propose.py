"""Governance.propose: seats make proposals; the log carries the calls in full."""

from typing import Any

import ape

from bpsa.core.codes import ProposalState
from tests.fixtures.suite import TIMING, calldata, decide
from tests.unit.governance.helpers import ZERO, calls_hash, logged_calls


def test_propose__council_seat__stores_proposal_and_logs_it(
    council: Any, alliance: Any, council_seats: list[Any], startup: Any
) -> None:
    proposer = council_seats[1]
    calls = [decide(alliance, "admit", startup)]

    tx = council.propose(calls, "admit the start-up", sender=proposer)

    assert tx.return_value == 1
    assert council.proposal_count() == 1
    stored = council.proposals(1)
    assert stored.proposer == proposer.address
    assert stored.created_block == tx.block_number
    assert stored.vote_end == tx.timestamp + TIMING.voting_period
    assert stored.eta == stored.vote_end + TIMING.execution_delay
    assert stored.expires == stored.eta + TIMING.grace_period
    assert stored.seats == 3
    assert (stored.yes, stored.no, stored.abstain) == (0, 0, 0)
    assert not stored.executed
    assert not stored.cancelled
    assert stored.calls_hash == calls_hash(calls)
    assert council.state(1) == ProposalState.VOTING
    [log] = tx.events.filter(council.ProposalCreated)
    assert log.proposal_id == 1
    assert log.proposer == proposer.address
    assert logged_calls(log) == calls
    assert log.description == "admit the start-up"
    assert (log.vote_end, log.eta, log.expires) == (stored.vote_end, stored.eta, stored.expires)
    assert log.seats == 3


def test_propose__second_proposal__ids_count_up(
    council: Any, council_seats: list[Any], proposal: int, harmless_call: tuple[str, bytes]
) -> None:
    tx = council.propose([harmless_call], "again", sender=council_seats[2])

    assert proposal == 1
    assert tx.return_value == 2
    assert council.proposal_count() == 2
    assert council.proposals(2).proposer == council_seats[2].address


def test_propose__many_calls_and_long_description__log_rebuilds_executable_calls(
    chain: Any, council: Any, alliance: Any, council_seats: list[Any], applicants: list[Any]
) -> None:
    # Eight calls (the maximum), one with 1,000 bytes of data, and a 512-byte description:
    # a tool that reads only the log must get back exactly what `execute` needs.
    padded = calldata(alliance, "active_count")
    padded = (padded[0], padded[1] + bytes(range(256)) * 3 + b"\xff" * 228)
    calls = [decide(alliance, "admit", a) for a in applicants]
    calls += [calldata(alliance, "is_active", a.address) for a in applicants]
    calls += [calldata(council, "seat_count"), calldata(council, "seats"), padded, padded]
    description = "".join(chr(ord("a") + i % 26) for i in range(512))
    assert len(padded[1]) == 1000

    tx = council.propose(calls, description, sender=council_seats[0])

    [log] = tx.events.filter(council.ProposalCreated)
    assert log.description == description
    rebuilt = logged_calls(log)
    assert rebuilt == calls
    assert council.hash_calls(rebuilt) == council.proposals(log.proposal_id).calls_hash
    for seat in council_seats[:2]:
        council.vote(log.proposal_id, 1, sender=seat)
    chain.pending_timestamp += TIMING.voting_period + TIMING.execution_delay
    council.execute(log.proposal_id, rebuilt, sender=council_seats[0])
    assert all(alliance.is_active(a) for a in applicants)


def test_propose__congress_member__counts_active_members(
    congress: Any, members: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    tx = congress.propose([harmless_call], "members' motion", sender=members[1])

    stored = congress.proposals(tx.return_value)
    assert stored.proposer == members[1].address
    assert stored.seats == 2
    [log] = tx.events.filter(congress.ProposalCreated)
    assert (log.proposer, log.seats) == (members[1].address, 2)


def test_propose__not_a_seat__reverts(
    council: Any, attacker: Any, harmless_call: tuple[str, bytes]
) -> None:
    with ape.reverts("governance: proposer is not a seat"):
        council.propose([harmless_call], "hostile", sender=attacker)


def test_propose__council_seat_on_congress__reverts(
    congress: Any, council_seats: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    with ape.reverts("governance: proposer is not a seat"):
        congress.propose([harmless_call], "not a member", sender=council_seats[0])


def test_propose__applicant_on_congress__reverts(
    congress: Any, applicants: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    with ape.reverts("governance: proposer is not a seat"):
        congress.propose([harmless_call], "not admitted yet", sender=applicants[0])


def test_propose__no_calls__reverts(council: Any, council_seats: list[Any]) -> None:
    with ape.reverts("governance: proposal has no calls"):
        council.propose([], "empty", sender=council_seats[0])


def test_propose__target_is_an_account__reverts(
    council: Any, council_seats: list[Any], outsider: Any, harmless_call: tuple[str, bytes]
) -> None:
    # Every target is checked, not only the first.
    calls = [harmless_call, (outsider.address, b"")]

    with ape.reverts("governance: call target is not a contract"):
        council.propose(calls, "pay the outsider", sender=council_seats[0])


def test_propose__target_is_zero_address__reverts(council: Any, council_seats: list[Any]) -> None:
    with ape.reverts("governance: call target is not a contract"):
        council.propose([(ZERO, b"")], "nowhere", sender=council_seats[0])
