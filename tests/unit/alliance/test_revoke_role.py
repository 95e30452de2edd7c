"""Alliance.revoke_role: the council revokes one role bit from a member."""

from typing import Any

import pytest

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import CouncilRefuses, Events


def test_revoke_role__held_role__clears_only_its_bit(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any
) -> None:
    tx = council_pass.run(
        [calldata(alliance, "revoke_role", role_holder.address, int(Role.PROVIDER))]
    )

    assert alliance.roles_of(role_holder) == Role.EXPERT
    assert not alliance.has_role(role_holder, int(Role.PROVIDER))
    assert alliance.has_role(role_holder, int(Role.EXPERT))
    assert alliance.is_active(role_holder)
    assert alliance_events(tx) == [
        alliance.RoleRevoked(member=role_holder.address, role=int(Role.PROVIDER))
    ]


def test_revoke_role__suspended_member__clears_bit_on_record(
    alliance: Any, council_pass: Pass, alliance_events: Events, role_holder: Any
) -> None:
    tx = council_pass.run(
        [
            calldata(alliance, "suspend", role_holder.address),
            calldata(alliance, "revoke_role", role_holder.address, int(Role.EXPERT)),
        ]
    )

    assert alliance.status_of(role_holder) == Status.SUSPENDED
    assert alliance.roles_of(role_holder) == Role.PROVIDER
    assert alliance_events(tx) == [
        alliance.Suspended(member=role_holder.address),
        alliance.RoleRevoked(member=role_holder.address, role=int(Role.EXPERT)),
    ]


@pytest.mark.parametrize(
    "role",
    [0, int(Role.PROVIDER | Role.EXPERT), 256],
    ids=["zero", "two-held-bits", "bit-8"],
)
def test_revoke_role__not_one_known_bit__reverts(
    alliance: Any, council_refuses: CouncilRefuses, role_holder: Any, role: int
) -> None:
    council_refuses(role_holder, "revoke_role", "alliance: unknown role", role)

    assert alliance.roles_of(role_holder) == Role.PROVIDER | Role.EXPERT


def test_revoke_role__role_not_held__reverts(
    council_refuses: CouncilRefuses, role_holder: Any
) -> None:
    council_refuses(role_holder, "revoke_role", "alliance: role not held", int(Role.ORACLE))


def test_revoke_role__expelled_member__reverts_role_not_held(
    alliance: Any, council_pass: Pass, council_refuses: CouncilRefuses, role_holder: Any
) -> None:
    council_pass.run([calldata(alliance, "expel", role_holder.address)])

    council_refuses(role_holder, "revoke_role", "alliance: role not held", int(Role.PROVIDER))
