"""Alliance.admit: the council admits a pending applicant."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import Kind, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import (
    NOT_OWNER,
    OTHER_IDENTITY,
    BringTo,
    status_id,
    statuses_except,
)


def test_admit__pending_application__activates_member(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    applicant: Any,
) -> None:
    tx = council_pass.run([calldata(alliance, "admit", applicant.address)])

    assert alliance.status_of(applicant) == Status.ACTIVE
    assert alliance.is_active(applicant)
    assert alliance.active_count() == 1
    assert alliance.active_since(applicant) == tx.block_number
    assert alliance.member_count() == 1  # admission does not list the member again
    assert alliance_events(tx) == [alliance.Admitted(member=applicant.address)]


def test_admit__two_applicants_in_one_proposal__counts_both(
    alliance: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
    applicant: Any,
    sme: Any,
) -> None:
    alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=sme)

    tx = council_pass.run(
        [calldata(alliance, "admit", applicant.address), calldata(alliance, "admit", sme.address)]
    )

    assert alliance.active_count() == 2
    assert alliance.active_since(applicant) == alliance.active_since(sme) == tx.block_number
    assert alliance_events(tx) == [
        alliance.Admitted(member=applicant.address),
        alliance.Admitted(member=sme.address),
    ]


def test_admit__caller_not_council__reverts(alliance: Any, attacker: Any, applicant: Any) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.admit(applicant, sender=attacker)

    assert alliance.status_of(applicant) == Status.APPLIED


@pytest.mark.parametrize("status", statuses_except(Status.APPLIED), ids=status_id)
def test_admit__no_pending_application__reverts(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: no pending application"):
        council_pass.run([calldata(alliance, "admit", startup.address)])

    assert alliance.status_of(startup) == status
