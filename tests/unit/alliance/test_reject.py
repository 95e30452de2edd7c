"""Alliance.reject: the council rejects a pending application."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import Kind, Status
from tests.fixtures.suite import IDENTITY, Pass, calldata
from tests.unit.alliance.helpers import NOT_OWNER, BringTo, status_id, statuses_except


def test_reject__pending_application__marks_rejected(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    applicant: Any,
) -> None:
    tx = council_pass.run([calldata(alliance, "reject", applicant.address)])

    assert alliance.status_of(applicant) == Status.REJECTED
    assert not alliance.is_active(applicant)
    assert alliance.active_count() == 0
    assert alliance.active_since(applicant) == 0
    assert alliance.kind_of(applicant) == Kind.START_UP  # the record stays for the auditor
    assert alliance.identity_of(applicant) == IDENTITY
    assert alliance.member_count() == 1
    assert alliance_events(tx) == [alliance.Rejected(applicant=applicant.address)]


def test_reject__caller_not_council__reverts(alliance: Any, attacker: Any, applicant: Any) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.reject(applicant, sender=attacker)

    assert alliance.status_of(applicant) == Status.APPLIED


@pytest.mark.parametrize("status", statuses_except(Status.APPLIED), ids=status_id)
def test_reject__no_pending_application__reverts(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: no pending application"):
        council_pass.run([calldata(alliance, "reject", startup.address)])

    assert alliance.status_of(startup) == status
