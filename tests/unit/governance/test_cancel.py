"""Governance.cancel: only the proposer, only before execution, only once."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import ProposalState


def test_cancel__proposer_while_voting__cancels_and_logs(
    council: Any, council_seats: list[Any], proposal: int
) -> None:
    tx = council.cancel(proposal, sender=council_seats[0])

    assert council.proposals(proposal).cancelled
    assert not council.proposals(proposal).executed
    assert council.state(proposal) == ProposalState.CANCELLED
    assert tx.events == [council.ProposalCancelled(proposal_id=proposal)]


def test_cancel__proposer_when_ready__cancels(
    council: Any, council_seats: list[Any], ready: int
) -> None:
    council.cancel(ready, sender=council_seats[0])

    assert council.state(ready) == ProposalState.CANCELLED


def test_cancel__proposer_of_congress_proposal__cancels(
    congress: Any, members: list[Any], congress_proposal: int
) -> None:
    tx = congress.cancel(congress_proposal, sender=members[0])

    assert congress.state(congress_proposal) == ProposalState.CANCELLED
    assert tx.events == [congress.ProposalCancelled(proposal_id=congress_proposal)]


@pytest.mark.parametrize("who", ["another_seat", "attacker"])
def test_cancel__not_the_proposer__reverts(
    council: Any, council_seats: list[Any], attacker: Any, proposal: int, who: str
) -> None:
    sender = {"another_seat": council_seats[1], "attacker": attacker}[who]

    with ape.reverts("governance: only the proposer may cancel"):
        council.cancel(proposal, sender=sender)


def test_cancel__unknown_proposal__reverts(council: Any, council_seats: list[Any]) -> None:
    with ape.reverts("governance: unknown proposal"):
        council.cancel(1, sender=council_seats[0])


def test_cancel__after_execution__reverts(
    council: Any, council_seats: list[Any], executed: int
) -> None:
    with ape.reverts("governance: already executed"):
        council.cancel(executed, sender=council_seats[0])


def test_cancel__twice__reverts(council: Any, council_seats: list[Any], proposal: int) -> None:
    council.cancel(proposal, sender=council_seats[0])

    with ape.reverts("governance: proposal cancelled"):
        council.cancel(proposal, sender=council_seats[0])
