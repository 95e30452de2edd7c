"""Fixtures for the Governance unit tests (helpers live in helpers.py).

The suite fixtures (tests/fixtures/suite.py) deploy a three-seat council and a
congress over Alliance. These add ready-made proposals and congress members.
"""

from typing import Any

import pytest

from bpsa.core.codes import Kind, ProposalState
from tests.fixtures.suite import IDENTITY, Pass, calldata, decide, mine_at
from tests.unit.governance.helpers import eta, proposed_before


@pytest.fixture
def harmless_call(alliance: Any) -> tuple[str, bytes]:
    """A call that succeeds and changes nothing (a view, called by raw_call)."""
    return calldata(alliance, "active_count")


@pytest.fixture
def proposal(council: Any, council_seats: list[Any], harmless_call: tuple[str, bytes]) -> int:
    """A council proposal just made by the first seat; voting is open."""
    tx = council.propose([harmless_call], "harmless", sender=council_seats[0])
    return int(tx.return_value)


@pytest.fixture
def passed(council: Any, council_seats: list[Any], proposal: int) -> int:
    """`proposal` with two yes votes out of three seats, voting still open."""
    council.vote(proposal, 1, sender=council_seats[0])
    council.vote(proposal, 1, sender=council_seats[1])
    return proposal


@pytest.fixture
def ready(chain: Any, council: Any, passed: int) -> int:
    """`passed`, with a block mined at its eta: the first second it is executable."""
    mine_at(chain, eta(council, passed))
    assert council.state(passed) == ProposalState.READY
    return passed


@pytest.fixture
def executed(
    council: Any, council_seats: list[Any], ready: int, harmless_call: tuple[str, bytes]
) -> int:
    """`ready`, executed by the first seat."""
    council.execute(ready, [harmless_call], sender=council_seats[0])
    return ready


@pytest.fixture
def applicants(alliance: Any, startup: Any, sme: Any) -> list[Any]:
    """The start-up and the SME, applied to the alliance, not admitted."""
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    alliance.apply(int(Kind.SME), IDENTITY, sender=sme)
    return [startup, sme]


@pytest.fixture
def members(alliance: Any, council_pass: Pass, applicants: list[Any]) -> list[Any]:
    """The start-up and the SME, admitted together by one council proposal."""
    council_pass.run([decide(alliance, "admit", a) for a in applicants])
    return applicants


@pytest.fixture
def congress_pass(chain: Any, congress: Any, members: list[Any]) -> Pass:
    """Pushes congress proposals; its seats are the two admitted members."""
    return Pass(chain, congress, members)


@pytest.fixture
def congress_proposal(congress: Any, members: list[Any], harmless_call: tuple[str, bytes]) -> int:
    """A congress proposal made by the start-up; voting is open."""
    tx = congress.propose([harmless_call], "harmless", sender=members[0])
    return int(tx.return_value)


@pytest.fixture
def proposals_around_a_new_seat(
    council: Any, council_pass: Pass, outsider: Any, harmless_call: tuple[str, bytes]
) -> tuple[int, int]:
    """Two council proposals, one made before the council seated `outsider` and one after:
    (earlier, later)."""
    add = [calldata(council, "add_seat", outsider.address)]
    earlier = proposed_before(council_pass, add, council, council_pass.seats[0], harmless_call)
    return earlier, council_pass.propose([harmless_call])
