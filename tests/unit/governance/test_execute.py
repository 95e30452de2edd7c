"""Governance.execute: once, atomically, between the delay and the end of grace."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, ProposalState, Role, Status
from tests.fixtures.suite import IDENTITY, Pass, at, calldata, decide
from tests.unit.governance.helpers import eta, expiry, queue


def test_execute__ready_proposal__runs_the_calls_in_order_and_logs(
    alliance: Any, council: Any, council_pass: Pass, startup: Any, outsider: Any
) -> None:
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    # The grant needs an active member: it only succeeds after the admission.
    calls = [
        decide(alliance, "admit", startup),
        calldata(alliance, "grant_role", startup.address, int(Role.PROVIDER)),
    ]
    proposal = queue(council_pass, calls)

    tx = council.execute(proposal, calls, sender=outsider)  # anyone may execute

    assert alliance.status_of(startup) == Status.ACTIVE
    assert alliance.has_role(startup, int(Role.PROVIDER))
    assert council.proposals(proposal).executed
    assert council.state(proposal) == ProposalState.EXECUTED
    assert tx.events == [
        alliance.Admitted(member=startup, application=1),
        alliance.RoleGranted(member=startup, role=int(Role.PROVIDER)),
        council.ProposalExecuted(proposal_id=proposal, executor=outsider),
    ]


def test_execute__second_call_fails__reverts_all_with_its_reason_and_stays_executable(
    alliance: Any, council: Any, council_pass: Pass, startup: Any, sme: Any
) -> None:
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    alliance.apply(int(Kind.SME), IDENTITY, sender=sme)
    calls = [
        decide(alliance, "admit", startup),
        calldata(alliance, "grant_role", sme.address, int(Role.PROVIDER)),  # sme not admitted
    ]
    proposal = queue(council_pass, calls)

    with ape.reverts("alliance: not an active member"):
        council.execute(proposal, calls, sender=startup)

    assert alliance.status_of(startup) == Status.APPLIED  # the first call was undone
    assert alliance.active_count() == 0
    assert not council.proposals(proposal).executed
    assert council.state(proposal) == ProposalState.READY
    council_pass.run([decide(alliance, "admit", sme)])
    council.execute(proposal, calls, sender=sme)
    assert alliance.is_active(startup) and alliance.has_role(sme, int(Role.PROVIDER))


@pytest.fixture
def execute_at(
    chain: Any,
    council: Any,
    council_seats: list[Any],
    passed: int,
    harmless_call: tuple[str, bytes],
) -> Callable[[Callable[[Any, int], int], int], Any]:
    """`execute_at(moment, offset)`: the third seat executes the passed proposal `offset`
    seconds from its `moment` (`eta` or `expiry`); returns the transaction."""

    def _execute(moment: Callable[[Any, int], int], offset: int) -> Any:
        at(chain, moment(council, passed) + offset)
        return council.execute(passed, [harmless_call], sender=council_seats[2])

    return _execute


@pytest.mark.parametrize(
    "moment, offset",
    [(eta, 0), (eta, 1), (expiry, -1)],
    ids=["at_eta", "after_eta", "one_second_before_expiry"],
)
def test_execute__within_the_window__executes_and_logs(
    council: Any,
    council_seats: list[Any],
    passed: int,
    execute_at: Callable[..., Any],
    moment: Callable[[Any, int], int],
    offset: int,
) -> None:
    tx = execute_at(moment, offset)

    assert council.proposals(passed).executed
    assert tx.events == [council.ProposalExecuted(proposal_id=passed, executor=council_seats[2])]


@pytest.mark.parametrize(
    "moment, offset, reason",
    [
        (eta, -1, "governance: execution delay not elapsed"),
        (expiry, 0, "governance: proposal expired"),
        (expiry, 1, "governance: proposal expired"),
    ],
    ids=["one_second_before_eta", "at_expiry", "after_expiry"],
)
def test_execute__outside_the_window__reverts(
    execute_at: Callable[..., Any], moment: Callable[[Any, int], int], offset: int, reason: str
) -> None:
    with ape.reverts(reason):
        execute_at(moment, offset)


def test_execute__voting_still_open__reverts(
    council: Any, council_seats: list[Any], passed: int, harmless_call: tuple[str, bytes]
) -> None:
    council.vote(passed, 1, sender=council_seats[2])  # unanimous, but voting has not closed

    with ape.reverts("governance: voting still open"):
        council.execute(passed, [harmless_call], sender=council_seats[0])


def test_execute__defeated__reverts(
    chain: Any,
    council: Any,
    council_seats: list[Any],
    proposal: int,
    harmless_call: tuple[str, bytes],
) -> None:
    council.vote(proposal, 1, sender=council_seats[0])  # one vote of three: no quorum
    at(chain, eta(council, proposal))

    with ape.reverts("governance: proposal did not pass"):
        council.execute(proposal, [harmless_call], sender=council_seats[0])


def test_execute__twice__reverts(
    council: Any, council_seats: list[Any], executed: int, harmless_call: tuple[str, bytes]
) -> None:
    with ape.reverts("governance: already executed"):
        council.execute(executed, [harmless_call], sender=council_seats[0])


def test_execute__cancelled_when_ready__reverts(
    council: Any, council_seats: list[Any], ready: int, harmless_call: tuple[str, bytes]
) -> None:
    council.cancel(ready, sender=council_seats[0])

    with ape.reverts("governance: proposal cancelled"):
        council.execute(ready, [harmless_call], sender=council_seats[1])


@pytest.mark.parametrize("proposal_id", [0, 2])
def test_execute__unknown_proposal__reverts(
    council: Any,
    council_seats: list[Any],
    passed: int,
    harmless_call: tuple[str, bytes],
    proposal_id: int,
) -> None:
    with ape.reverts("governance: unknown proposal"):
        council.execute(proposal_id, [harmless_call], sender=council_seats[0])


@pytest.mark.parametrize("change", ["data", "target", "extra", "missing", "order", "none"])
def test_execute__calls_differ_from_the_proposal__reverts(
    chain: Any, alliance: Any, council: Any, council_seats: list[Any], startup: Any, change: str
) -> None:
    first, second = calldata(alliance, "active_count"), calldata(alliance, "member_count")
    proposal = int(council.propose([first, second], "two", sender=council_seats[0]).return_value)
    council.vote(proposal, 1, sender=council_seats[0])
    council.vote(proposal, 1, sender=council_seats[1])
    at(chain, eta(council, proposal))
    calls = {
        "data": [first, (second[0], second[1] + b"\x00")],
        "target": [first, (council.address, second[1])],
        "extra": [first, second, second],
        "missing": [first],
        "order": [second, first],
        "none": [],
    }[change]

    with ape.reverts("governance: calls differ from the proposal"):
        council.execute(proposal, calls, sender=startup)
