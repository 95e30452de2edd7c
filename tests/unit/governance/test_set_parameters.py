"""Governance.set_parameters: proposal timing, changed only through proposals."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import ProposalState
from tests.fixtures.suite import TIMING, Pass, calldata, mine_at
from tests.unit.governance.helpers import vote_end

DAY = 24 * 3600


def test_set_parameters__through_a_council_proposal__applies_to_new_proposals_and_logs(
    council: Any, council_pass: Pass, council_seats: list[Any], harmless_call: tuple[str, bytes]
) -> None:
    tx = council_pass.run([calldata(council, "set_parameters", 100, 20, 50)])

    assert (council.voting_period(), council.execution_delay(), council.grace_period()) == (
        100,
        20,
        50,
    )
    assert tx.events.filter(council.ParametersChanged) == [
        council.ParametersChanged(voting_period=100, execution_delay=20, grace_period=50)
    ]
    proposed = council.propose([harmless_call], "quick", sender=council_seats[0])
    assert council.proposals(proposed.return_value).vote_end == proposed.timestamp + 100


def test_set_parameters__zero_delay__proposal_ready_at_vote_end(
    chain: Any,
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    harmless_call: tuple[str, bytes],
) -> None:
    council_pass.run([calldata(council, "set_parameters", 100, 0, 50)])
    proposal = council_pass.propose([harmless_call])
    council.vote(proposal, 1, sender=council_seats[0])
    council.vote(proposal, 1, sender=council_seats[1])

    mine_at(chain, vote_end(council, proposal))

    assert council.state(proposal) == ProposalState.READY
    council.execute(proposal, [harmless_call], sender=council_seats[0])


def test_set_parameters__made_proposals__keep_their_own_timeline(
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    harmless_call: tuple[str, bytes],
) -> None:
    change = [calldata(council, "set_parameters", 1, 10 * DAY, 1)]
    changing = council_pass.propose(change)
    council_pass.vote_all(changing)
    other = council_pass.propose([harmless_call])
    council_pass.vote_all(other)
    council_pass.to_ready(other)
    assert council.state(other) == ProposalState.READY
    before = council.proposals(other)

    council.execute(changing, change, sender=council_seats[0])

    after = council.proposals(other)
    assert (after.vote_end, after.eta, after.expires) == (
        before.vote_end,
        before.eta,
        before.expires,
    )
    assert council.state(other) == ProposalState.READY  # not pushed back by the new delay
    council.execute(other, [harmless_call], sender=council_seats[0])


def test_set_parameters__longer_grace__does_not_revive_an_expired_proposal(
    chain: Any,
    council: Any,
    council_pass: Pass,
    council_seats: list[Any],
    harmless_call: tuple[str, bytes],
) -> None:
    stale = council_pass.propose([harmless_call])
    council_pass.vote_all(stale)
    council_pass.wait(60)  # the change is made a minute later, so it expires later
    change = [calldata(council, "set_parameters", 3600, 600, 365 * DAY)]
    changing = council_pass.propose(change)
    council_pass.vote_all(changing)
    mine_at(chain, council.proposals(stale).expires)
    assert council.state(stale) == ProposalState.EXPIRED
    assert council.state(changing) == ProposalState.READY

    council.execute(changing, change, sender=council_seats[0])

    assert council.grace_period() == 365 * DAY
    assert council.state(stale) == ProposalState.EXPIRED
    with ape.reverts("governance: proposal expired"):
        council.execute(stale, [harmless_call], sender=council_seats[0])


def test_set_parameters__called_by_a_seat__reverts(council: Any, council_seats: list[Any]) -> None:
    with ape.reverts("governance: only through a proposal"):
        council.set_parameters(1, 0, 1, sender=council_seats[0])


def test_set_parameters__called_directly_on_congress__reverts(congress: Any, attacker: Any) -> None:
    with ape.reverts("governance: only through a proposal"):
        congress.set_parameters(1, 0, 1, sender=attacker)


def test_set_parameters__through_a_congress_proposal__changes_congress_timing(
    congress: Any, council: Any, congress_pass: Pass
) -> None:
    tx = congress_pass.run([calldata(congress, "set_parameters", 60, 0, 60)])

    assert (congress.voting_period(), congress.execution_delay(), congress.grace_period()) == (
        60,
        0,
        60,
    )
    assert council.voting_period() == TIMING.voting_period  # the council's timing is its own
    assert tx.events.filter(congress.ParametersChanged) == [
        congress.ParametersChanged(voting_period=60, execution_delay=0, grace_period=60)
    ]


YEAR = 365 * DAY


@pytest.mark.parametrize(
    "times, reason",
    [
        ((0, 600, 7200), "governance: voting period must be positive"),
        ((3600, 600, 0), "governance: grace period must be positive"),
        # Above one year: the council could lock itself out.
        ((YEAR + 1, 600, 7200), "governance: voting period above one year"),
        ((3600, YEAR + 1, 7200), "governance: execution delay above one year"),
        ((3600, 600, YEAR + 1), "governance: grace period above one year"),
        ((2**64 - 1, 600, 7200), "governance: voting period above one year"),
    ],
    ids=[
        "zero_voting_period",
        "zero_grace_period",
        "voting_period_above_one_year",
        "execution_delay_above_one_year",
        "grace_period_above_one_year",
        "overflowing_voting_period",
    ],
)
def test_set_parameters__period_zero_or_above_one_year__reverts_and_keeps_the_timing(
    council: Any, council_pass: Pass, times: tuple[int, int, int], reason: str
) -> None:
    with ape.reverts(reason):
        council_pass.run([calldata(council, "set_parameters", *times)])

    assert council.voting_period() == TIMING.voting_period
    assert council.execution_delay() == TIMING.execution_delay
    assert council.grace_period() == TIMING.grace_period


def test_set_parameters__exactly_one_year__accepted(council: Any, council_pass: Pass) -> None:
    council_pass.run([calldata(council, "set_parameters", YEAR, YEAR, YEAR)])

    assert (council.voting_period(), council.execution_delay(), council.grace_period()) == (
        YEAR,
        YEAR,
        YEAR,
    )
