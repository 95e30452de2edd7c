"""Alliance.expel: the council expels an active or suspended member for good."""

from typing import Any

from bpsa.core.codes import Kind, Role, Status
from tests.fixtures.suite import IDENTITY, Pass, calldata
from tests.unit.alliance.helpers import CouncilRefuses, Events, for_each_status_but


def test_expel__active_member__clears_roles_and_leaves_active_count(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any, second_member: Any
) -> None:
    tx = council_pass.run([calldata(alliance, "expel", role_holder.address)])

    assert alliance.status_of(role_holder) == Status.EXPELLED
    assert not alliance.is_active(role_holder)
    assert alliance.roles_of(role_holder) == 0
    assert not alliance.has_role(role_holder, int(Role.PROVIDER))
    assert alliance.active_count() == 1
    assert alliance.is_active(second_member)
    assert alliance.member_count() == 2  # the register keeps the expelled address
    assert alliance.member_at(0) == role_holder.address
    assert alliance.kind_of(role_holder) == Kind.START_UP
    assert alliance.identity_of(role_holder) == IDENTITY
    assert alliance_events(tx) == [
        alliance.Expelled(
            member=role_holder.address, roles_cleared=int(Role.PROVIDER | Role.EXPERT)
        )
    ]


def test_expel__suspended_member__clears_roles_without_counting_it_again(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any, second_member: Any
) -> None:
    council_pass.run([calldata(alliance, "suspend", role_holder.address)])
    assert alliance.active_count() == 1

    tx = council_pass.run([calldata(alliance, "expel", role_holder.address)])

    assert alliance.status_of(role_holder) == Status.EXPELLED
    assert alliance.roles_of(role_holder) == 0
    assert alliance.active_count() == 1  # suspension already took it out of the count
    assert alliance_events(tx) == [
        alliance.Expelled(
            member=role_holder.address, roles_cleared=int(Role.PROVIDER | Role.EXPERT)
        )
    ]


def test_expel__member_without_roles__reports_no_roles_cleared(
    alliance: Any, council_pass: Pass, alliance_events: Events, member: Any
) -> None:
    tx = council_pass.run([calldata(alliance, "expel", member.address)])

    assert alliance.active_count() == 0
    assert alliance_events(tx) == [alliance.Expelled(member=member.address, roles_cleared=0)]


@for_each_status_but(Status.ACTIVE, Status.SUSPENDED)
def test_expel__not_a_member__reverts(council_refuses: CouncilRefuses, startup_in: Any) -> None:
    council_refuses(startup_in, "expel", "alliance: not a member")
