"""Alliance.grant_role: the council grants one role bit to an active member."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import NOT_OWNER, BringTo, status_id, statuses_except

ALL_ROLES = sum(int(r) for r in Role)  # every known bit, 255


def test_grant_role__each_known_role__sets_its_bit(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    member: Any,
) -> None:
    tx = council_pass.run([calldata(alliance, "grant_role", member.address, int(r)) for r in Role])

    assert alliance.roles_of(member) == ALL_ROLES
    assert all(alliance.has_role(member, int(r)) for r in Role)
    assert alliance_events(tx) == [
        alliance.RoleGranted(member=member.address, role=int(r)) for r in Role
    ]


def test_grant_role__member_with_roles__adds_bit_and_keeps_others(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    role_holder: Any,
) -> None:
    tx = council_pass.run([calldata(alliance, "grant_role", role_holder.address, int(Role.ORACLE))])

    assert alliance.roles_of(role_holder) == Role.PROVIDER | Role.EXPERT | Role.ORACLE
    assert alliance.has_role(role_holder, int(Role.ORACLE))
    assert alliance_events(tx) == [
        alliance.RoleGranted(member=role_holder.address, role=int(Role.ORACLE))
    ]


def test_grant_role__caller_not_council__reverts(alliance: Any, attacker: Any, member: Any) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.grant_role(member, int(Role.PROVIDER), sender=attacker)

    assert alliance.roles_of(member) == 0


@pytest.mark.parametrize(
    "role",
    [0, int(Role.PROVIDER | Role.DEMANDER), ALL_ROLES, 256, 2**255],
    ids=["zero", "two-bits", "all-bits", "bit-8", "bit-255"],
)
def test_grant_role__not_one_known_bit__reverts(
    alliance: Any, council_pass: Pass, member: Any, role: int
) -> None:
    with ape.reverts("alliance: unknown role"):
        council_pass.run([calldata(alliance, "grant_role", member.address, role)])

    assert alliance.roles_of(member) == 0


def test_grant_role__already_granted__reverts(
    alliance: Any, council_pass: Pass, role_holder: Any
) -> None:
    with ape.reverts("alliance: role already granted"):
        council_pass.run(
            [calldata(alliance, "grant_role", role_holder.address, int(Role.PROVIDER))]
        )


@pytest.mark.parametrize("status", statuses_except(Status.ACTIVE), ids=status_id)
def test_grant_role__not_active__reverts(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: not an active member"):
        council_pass.run([calldata(alliance, "grant_role", startup.address, int(Role.PROVIDER))])

    assert alliance.roles_of(startup) == 0
