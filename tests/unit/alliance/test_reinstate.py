"""Alliance.reinstate: the council reinstates a suspended member."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import NOT_OWNER, BringTo, status_id, statuses_except


@pytest.fixture
def suspended(alliance: Any, council_pass: Pass, role_holder: Any) -> Any:
    """The role holder (start-up with provider and expert roles), suspended."""
    council_pass.run([calldata(alliance, "suspend", role_holder.address)])
    return role_holder


def test_reinstate__suspended_member__reactivates_from_this_block(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    suspended: Any,
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


def test_reinstate__caller_not_council__reverts(
    alliance: Any, attacker: Any, suspended: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.reinstate(suspended, sender=attacker)

    assert alliance.status_of(suspended) == Status.SUSPENDED


@pytest.mark.parametrize("status", statuses_except(Status.SUSPENDED), ids=status_id)
def test_reinstate__not_suspended__reverts(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: not a suspended member"):
        council_pass.run([calldata(alliance, "reinstate", startup.address)])

    assert alliance.status_of(startup) == status
