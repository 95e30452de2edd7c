"""Fixtures for the Alliance unit tests.

The suite fixtures (tests/fixtures/suite.py) deploy Alliance owned by a three-seat
council. The privileged calls under test go through council proposals
(`council_pass.run`); `bring_to` puts an actor into a given membership status by
calling as the (impersonated) council, which saves a proposal per test.
`alliance_events` reads the events Alliance itself emitted (a proposal's receipt
also carries the council's `ProposalExecuted`).
"""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, Role, Status
from tests.fixtures.actors import impersonated
from tests.fixtures.suite import IDENTITY, Pass, application, calldata, decide
from tests.unit.alliance.helpers import (
    CALLS_TO_STATUS,
    DECIDED_BY_APPLICATION,
    OTHER_IDENTITY,
    BringTo,
    CouncilRefuses,
)


@pytest.fixture
def alliance_events(alliance: Any) -> Callable[[Any], list[Any]]:
    """The logs of a receipt that Alliance emitted, in order."""

    def _events(tx: Any) -> list[Any]:
        return [log for log in tx.events if log.contract_address == alliance.address]

    return _events


@pytest.fixture
def council_account(accounts: Any, chain: Any, council: Any) -> Any:
    """The council contract as an impersonated sender, for setting up state only.

    Alliance sees the same `msg.sender` as from an executed proposal; the calls under
    test still go through `council_pass`."""
    return impersonated(accounts, chain, council)


@pytest.fixture
def bring_to(alliance: Any, council_account: Any) -> BringTo:
    """`bring_to(actor, status, kind=START_UP)`: apply (unless NONE), then the owner's
    calls that reach `status`; checks the status it reached."""

    def _bring(actor: Any, status: Status, kind: Kind = Kind.START_UP) -> Any:
        if status != Status.NONE:
            alliance.apply(int(kind), IDENTITY, sender=actor)
        for name in CALLS_TO_STATUS[status]:
            # dev: admit and reject name the application they decide
            named = application(alliance, actor) if name in DECIDED_BY_APPLICATION else (actor,)
            getattr(alliance, name)(*named, sender=council_account)
        assert alliance.status_of(actor) == status
        return actor

    return _bring


@pytest.fixture
def startup_in(request: pytest.FixtureRequest, bring_to: BringTo, startup: Any) -> Any:
    """The start-up in the status the test is parametrised with (`for_each_status_but`)."""
    return bring_to(startup, request.param)


@pytest.fixture
def council_refuses(alliance: Any, council_pass: Pass) -> CouncilRefuses:
    """`council_refuses(actor, method, reason, *args)`: checks that the council's `method`
    on the actor reverts with `reason` and leaves the actor's record as it was."""

    def _refuses(actor: Any, method: str, reason: str, *args: Any) -> None:
        before = alliance.members(actor)
        if method in DECIDED_BY_APPLICATION:
            call = decide(alliance, method, actor)
        else:
            call = calldata(alliance, method, actor.address, *args)

        with ape.reverts(reason):
            council_pass.run([call])

        assert alliance.members(actor) == before

    return _refuses


@pytest.fixture
def suspended(alliance: Any, council_pass: Pass, role_holder: Any) -> Any:
    """The role holder (start-up with provider and expert roles), suspended."""
    council_pass.run([calldata(alliance, "suspend", role_holder.address)])
    return role_holder


@pytest.fixture
def applicant(alliance: Any, startup: Any) -> Any:
    """The start-up with a pending application."""
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    return startup


@pytest.fixture
def second_member(alliance: Any, council_pass: Pass, sme: Any, member: Any) -> Any:
    """The SME, admitted after the start-up (`member`), so two members are active."""
    alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=sme)
    council_pass.run([decide(alliance, "admit", sme)])
    return sme


@pytest.fixture
def role_holder(alliance: Any, council_pass: Pass, member: Any) -> Any:
    """The start-up, admitted and holding the provider and expert roles."""
    council_pass.run(
        [
            calldata(alliance, "grant_role", member.address, int(Role.PROVIDER)),
            calldata(alliance, "grant_role", member.address, int(Role.EXPERT)),
        ]
    )
    return member


@pytest.fixture
def large_enterprise(alliance: Any, council_pass: Pass, enterprise: Any) -> Any:
    """The enterprise, applied as a large enterprise and admitted."""
    alliance.apply(int(Kind.LARGE_ENTERPRISE), IDENTITY, sender=enterprise)
    council_pass.run([decide(alliance, "admit", enterprise)])
    return enterprise


@pytest.fixture(scope="session")
def inventor(accounts: Any) -> Any:
    """An individual inventor who applies for membership."""
    return accounts[9]
