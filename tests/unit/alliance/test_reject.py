"""Alliance.reject: the council rejects the pending application it reviewed, named by its
number, kind and identity digest."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, Status
from tests.fixtures.suite import IDENTITY, Pass, calldata, decide
from tests.unit.alliance.helpers import (
    OTHER_IDENTITY,
    BringTo,
    CouncilRefuses,
    Events,
    for_each_status_but,
)


def test_reject__pending_application__marks_rejected(
    alliance: Any, council_pass: Pass, alliance_events: Events, applicant: Any
) -> None:
    tx = council_pass.run([decide(alliance, "reject", applicant)])

    assert alliance.status_of(applicant) == Status.REJECTED
    assert not alliance.is_active(applicant)
    assert alliance.active_count() == 0
    assert alliance.active_since(applicant) == 0
    assert alliance.kind_of(applicant) == Kind.START_UP  # the record stays for the auditor
    assert alliance.identity_of(applicant) == IDENTITY
    assert alliance.member_count() == 1
    assert alliance_events(tx) == [alliance.Rejected(applicant=applicant.address, application=1)]


@for_each_status_but(Status.APPLIED)
def test_reject__no_pending_application__reverts(
    council_refuses: CouncilRefuses, startup_in: Any
) -> None:
    council_refuses(startup_in, "reject", "alliance: no pending application")


def test_reject__voted_for_an_earlier_application__reverts_and_the_new_one_stays_pending(
    alliance: Any, council_pass: Pass, bring_to: BringTo, startup: Any
) -> None:
    bring_to(startup, Status.APPLIED)
    stale = decide(alliance, "reject", startup)  # the application reviewed: number 1
    council_pass.run([decide(alliance, "reject", startup)])
    alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=startup)  # number 2, never reviewed

    with ape.reverts("alliance: not the pending application"):
        council_pass.run([stale])

    assert alliance.status_of(startup) == Status.APPLIED
    assert alliance.application_of(startup) == (2, Kind.SME, OTHER_IDENTITY)


@pytest.mark.parametrize(
    ("kind", "identity", "reason"),
    [
        (Kind.SME, IDENTITY, "alliance: kind differs from the application"),
        (Kind.START_UP, OTHER_IDENTITY, "alliance: identity differs from the application"),
    ],
)
def test_reject__kind_or_identity_differ__reverts(
    alliance: Any, council_pass: Pass, applicant: Any, kind: Kind, identity: bytes, reason: str
) -> None:
    with ape.reverts(reason):
        council_pass.run([calldata(alliance, "reject", applicant.address, 1, int(kind), identity)])
