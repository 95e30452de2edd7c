"""Alliance.suspend: the council suspends an active member."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import NOT_OWNER, BringTo, status_id, statuses_except


def test_suspend__active_member__suspends_and_keeps_roles_on_record(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    role_holder: Any,
    second_member: Any,
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


def test_suspend__caller_not_council__reverts(alliance: Any, attacker: Any, member: Any) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.suspend(member, sender=attacker)

    assert alliance.is_active(member)


@pytest.mark.parametrize("status", statuses_except(Status.ACTIVE), ids=status_id)
def test_suspend__not_active__reverts(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: not an active member"):
        council_pass.run([calldata(alliance, "suspend", startup.address)])

    assert alliance.status_of(startup) == status
