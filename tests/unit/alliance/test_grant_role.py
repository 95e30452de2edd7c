"""Alliance.grant_role: the council grants one role bit to an active member."""

from typing import Any

import pytest

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import CouncilRefuses, Events, for_each_status_but

ALL_ROLES = sum(int(r) for r in Role)  # every known bit, 255


def test_grant_role__each_known_role__sets_its_bit(
    alliance: Any, council_pass: Pass, alliance_events: Events, member: Any
) -> None:
    tx = council_pass.run([calldata(alliance, "grant_role", member.address, int(r)) for r in Role])

    assert alliance.roles_of(member) == ALL_ROLES
    assert all(alliance.has_role(member, int(r)) for r in Role)
    assert alliance_events(tx) == [
        alliance.RoleGranted(member=member.address, role=int(r)) for r in Role
    ]


def test_grant_role__member_with_roles__adds_bit_and_keeps_others(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any
) -> None:
    tx = council_pass.run([calldata(alliance, "grant_role", role_holder.address, int(Role.ORACLE))])

    assert alliance.roles_of(role_holder) == Role.PROVIDER | Role.EXPERT | Role.ORACLE
    assert alliance.has_role(role_holder, int(Role.ORACLE))
    assert alliance_events(tx) == [
        alliance.RoleGranted(member=role_holder.address, role=int(Role.ORACLE))
    ]


@pytest.mark.parametrize(
    "role",
    [0, int(Role.PROVIDER | Role.DEMANDER), ALL_ROLES, 256, 2**255],
    ids=["zero", "two-bits", "all-bits", "bit-8", "bit-255"],
)
def test_grant_role__not_one_known_bit__reverts(
    alliance: Any, council_refuses: CouncilRefuses, member: Any, role: int
) -> None:
    council_refuses(member, "grant_role", "alliance: unknown role", role)

    assert alliance.roles_of(member) == 0


def test_grant_role__already_granted__reverts(
    council_refuses: CouncilRefuses, role_holder: Any
) -> None:
    reason = "alliance: role already granted"
    council_refuses(role_holder, "grant_role", reason, int(Role.PROVIDER))


@for_each_status_but(Status.ACTIVE)
def test_grant_role__not_active__reverts(
    alliance: Any, council_refuses: CouncilRefuses, startup_in: Any
) -> None:
    council_refuses(startup_in, "grant_role", "alliance: not an active member", int(Role.PROVIDER))

    assert alliance.roles_of(startup_in) == 0
