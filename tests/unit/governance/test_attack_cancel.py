"""Issue 15, review of Governance (new finding): an expelled member (or a removed council
seat) cancels the body's proposal.

`cancel` asked only that the caller made the proposal, so a member the alliance expelled,
or a seat the council removed, could still cancel a proposal the body had voted through,
up to the moment it executes. Cancelling is a seat's act: a proposer who holds no seat any
more cannot cancel.
"""

from typing import Any

import ape

from bpsa.core.codes import ProposalState
from tests.fixtures.suite import Pass, at, calldata
from tests.unit.governance.helpers import eta

NO_SEAT = "governance: the proposer holds no seat"


def test_cancel__proposer_expelled_after_the_vote__reverts_and_the_proposal_executes(
    chain: Any,
    alliance: Any,
    congress: Any,
    council_pass: Pass,
    members: list[Any],
    congress_proposal: int,
    harmless_call: tuple[str, bytes],
) -> None:
    attacker = members[0]  # the start-up made the proposal
    for member in members:
        congress.vote(congress_proposal, 1, sender=member)
    council_pass.run([calldata(alliance, "expel", attacker.address)])
    # the council's own vote may have taken it past the congress proposal's eta
    at(chain, max(eta(congress, congress_proposal), chain.blocks.head.timestamp + 1))

    with ape.reverts(NO_SEAT):
        congress.cancel(congress_proposal, sender=attacker)

    assert congress.state(congress_proposal) == ProposalState.READY
    congress.execute(congress_proposal, [harmless_call], sender=members[1])


def test_cancel__proposer_removed_from_the_council__reverts(
    council: Any, council_pass: Pass, council_seats: list[Any], proposal: int
) -> None:
    council_pass.run([calldata(council, "remove_seat", council_seats[0].address)])

    with ape.reverts(NO_SEAT):
        council.cancel(proposal, sender=council_seats[0])

    assert council.state(proposal) != ProposalState.CANCELLED
