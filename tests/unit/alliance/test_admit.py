"""Alliance.admit: the council admits the pending application it reviewed, named by its
number, kind and identity digest."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, Status
from tests.fixtures.suite import IDENTITY, Pass, calldata, decide
from tests.unit.alliance.helpers import OTHER_IDENTITY, CouncilRefuses, Events, for_each_status_but


def test_admit__pending_application__activates_member(
    alliance: Any, council_pass: Pass, alliance_events: Events, applicant: Any
) -> None:
    tx = council_pass.run([decide(alliance, "admit", applicant)])

    assert alliance.status_of(applicant) == Status.ACTIVE
    assert alliance.is_active(applicant)
    assert alliance.active_count() == 1
    assert alliance.active_since(applicant) == tx.block_number
    assert alliance.member_count() == 1  # admission does not list the member again
    assert alliance_events(tx) == [alliance.Admitted(member=applicant.address, application=1)]


def test_admit__two_applicants_in_one_proposal__counts_both(
    alliance: Any, council_pass: Pass, alliance_events: Events, applicant: Any, sme: Any
) -> None:
    alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=sme)

    tx = council_pass.run([decide(alliance, "admit", applicant), decide(alliance, "admit", sme)])

    assert alliance.active_count() == 2
    assert alliance.active_since(applicant) == alliance.active_since(sme) == tx.block_number
    assert alliance_events(tx) == [
        alliance.Admitted(member=applicant.address, application=1),
        alliance.Admitted(member=sme.address, application=2),
    ]


@for_each_status_but(Status.APPLIED)
def test_admit__no_pending_application__reverts(
    council_refuses: CouncilRefuses, startup_in: Any
) -> None:
    council_refuses(startup_in, "admit", "alliance: no pending application")


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("number", "alliance: not the pending application"),
        ("kind", "alliance: kind differs from the application"),
        ("identity", "alliance: identity differs from the application"),
    ],
)
def test_admit__names_another_application__reverts_with_what_differs(
    alliance: Any, council_pass: Pass, applicant: Any, field: str, reason: str
) -> None:
    named = {"number": 1, "kind": int(Kind.START_UP), "identity": IDENTITY}
    named[field] = {"number": 2, "kind": int(Kind.NON_PROFIT), "identity": OTHER_IDENTITY}[field]
    call = calldata(
        alliance, "admit", applicant.address, named["number"], named["kind"], named["identity"]
    )

    with ape.reverts(reason):
        council_pass.run([call])

    assert alliance.status_of(applicant) == Status.APPLIED
