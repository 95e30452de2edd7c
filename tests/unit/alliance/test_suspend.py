"""Alliance.suspend: the council suspends an active member."""

from typing import Any

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import CouncilRefuses, Events, for_each_status_but


def test_suspend__active_member__suspends_and_keeps_roles_on_record(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any, second_member: Any
) -> None:
    admitted_in = alliance.active_since(role_holder)

    tx = council_pass.run([calldata(alliance, "suspend", role_holder.address)])

    assert alliance.status_of(role_holder) == Status.SUSPENDED
    assert not alliance.is_active(role_holder)
    assert alliance.active_count() == 1  # the other member is still active
    assert alliance.is_active(second_member)
    assert alliance.roles_of(role_holder) == Role.PROVIDER | Role.EXPERT
    assert not alliance.has_role(role_holder, int(Role.PROVIDER))
    assert alliance.active_since(role_holder) == admitted_in
    assert alliance_events(tx) == [alliance.Suspended(member=role_holder.address)]


@for_each_status_but(Status.ACTIVE)
def test_suspend__not_active__reverts(council_refuses: CouncilRefuses, startup_in: Any) -> None:
    council_refuses(startup_in, "suspend", "alliance: not an active member")
