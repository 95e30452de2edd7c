"""Alliance.apply: anyone applies with a kind and an identity digest."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, Status
from tests.fixtures.suite import IDENTITY, Pass, decide
from tests.unit.alliance.helpers import OTHER_IDENTITY, BringTo


def test_apply__newcomer__records_pending_application_with_its_number(
    alliance: Any, startup: Any
) -> None:
    tx = alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)

    assert alliance.status_of(startup) == Status.APPLIED
    assert alliance.kind_of(startup) == Kind.START_UP
    assert alliance.identity_of(startup) == IDENTITY
    assert alliance.application_count() == 1
    assert alliance.application_of(startup) == (1, Kind.START_UP, IDENTITY)
    assert alliance.members(startup).application == 1
    assert alliance.member_count() == 1
    assert alliance.member_at(0) == startup.address
    assert not alliance.is_active(startup)
    assert alliance.active_count() == 0
    assert alliance.active_since(startup) == 0
    assert tx.events == [
        alliance.Applied(
            applicant=startup.address, application=1, kind=int(Kind.START_UP), identity=IDENTITY
        )
    ]


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.name.lower())
def test_apply__each_known_kind__accepted(alliance: Any, outsider: Any, kind: Kind) -> None:
    tx = alliance.apply(int(kind), IDENTITY, sender=outsider)

    assert alliance.kind_of(outsider) == kind
    assert tx.events == [
        alliance.Applied(
            applicant=outsider.address, application=1, kind=int(kind), identity=IDENTITY
        )
    ]


def test_apply__several_applicants__listed_in_order_of_application(
    alliance: Any, startup: Any, sme: Any, university: Any
) -> None:
    alliance.apply(int(Kind.SME), IDENTITY, sender=sme)
    alliance.apply(int(Kind.NON_PROFIT), IDENTITY, sender=university)
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)

    assert alliance.member_count() == 3
    assert [alliance.member_at(i) for i in range(3)] == [
        sme.address,
        university.address,
        startup.address,
    ]
    # dev: applications are numbered in the order they were made
    assert [alliance.application_of(a)[0] for a in (sme, university, startup)] == [1, 2, 3]


def test_apply__rejected_applicant__may_apply_again_under_a_new_number_without_second_listing(
    alliance: Any, bring_to: BringTo, startup: Any
) -> None:
    bring_to(startup, Status.REJECTED)

    tx = alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=startup)

    assert alliance.status_of(startup) == Status.APPLIED
    assert alliance.kind_of(startup) == Kind.SME
    assert alliance.identity_of(startup) == OTHER_IDENTITY
    assert alliance.member_count() == 1  # listed once, at its first application
    assert alliance.member_at(0) == startup.address
    assert alliance.application_of(startup) == (2, Kind.SME, OTHER_IDENTITY)
    assert tx.events == [
        alliance.Applied(
            applicant=startup.address, application=2, kind=int(Kind.SME), identity=OTHER_IDENTITY
        )
    ]


def test_apply__rejected_then_readmitted__counts_once(
    alliance: Any, bring_to: BringTo, council_pass: Pass, startup: Any
) -> None:
    bring_to(startup, Status.REJECTED)
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)

    council_pass.run([decide(alliance, "admit", startup)])

    assert alliance.is_active(startup)
    assert alliance.member_count() == 1
    assert alliance.active_count() == 1


@pytest.mark.parametrize("kind", [0, int(Kind.INDIVIDUAL) + 1, 255])
def test_apply__unknown_kind__reverts(alliance: Any, outsider: Any, kind: int) -> None:
    with ape.reverts("alliance: unknown member kind"):
        alliance.apply(kind, IDENTITY, sender=outsider)


def test_apply__empty_identity__reverts(alliance: Any, outsider: Any) -> None:
    with ape.reverts("alliance: empty identity digest"):
        alliance.apply(int(Kind.START_UP), b"\x00" * 32, sender=outsider)


def test_apply__application_pending__reverts(alliance: Any, applicant: Any) -> None:
    with ape.reverts("alliance: application already pending"):
        alliance.apply(int(Kind.SME), OTHER_IDENTITY, sender=applicant)


def test_apply__expelled__reverts(alliance: Any, bring_to: BringTo, startup: Any) -> None:
    bring_to(startup, Status.EXPELLED)

    with ape.reverts("alliance: expelled members cannot apply"):
        alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.SUSPENDED], ids=lambda s: s.name.lower())
def test_apply__already_a_member__reverts(
    alliance: Any, bring_to: BringTo, startup: Any, status: Status
) -> None:
    bring_to(startup, status)

    with ape.reverts("alliance: already a member"):
        alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
