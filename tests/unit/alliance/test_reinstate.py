"""Alliance.reinstate: the council reinstates a suspended member."""

from typing import Any

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import CouncilRefuses, Events, for_each_status_but


def test_reinstate__suspended_member__reactivates_from_this_block(
    alliance: Any, council_pass: Pass, alliance_events: Events, suspended: Any
) -> None:
    admitted_in = alliance.active_since(suspended)

    tx = council_pass.run([calldata(alliance, "reinstate", suspended.address)])

    assert alliance.status_of(suspended) == Status.ACTIVE
    assert alliance.is_active(suspended)
    assert alliance.active_count() == 1
    assert alliance.active_since(suspended) == tx.block_number > admitted_in
    assert alliance.has_role(suspended, int(Role.PROVIDER | Role.EXPERT))  # roles count again
    assert alliance.member_count() == 1
    assert alliance_events(tx) == [alliance.Reinstated(member=suspended.address)]


@for_each_status_but(Status.SUSPENDED)
def test_reinstate__not_suspended__reverts(
    council_refuses: CouncilRefuses, startup_in: Any
) -> None:
    council_refuses(startup_in, "reinstate", "alliance: not a suspended member")
