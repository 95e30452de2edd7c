"""Infringements.claim_accused: the accused names itself on an open case that names no
accused, proving it with its vetted Alliance record: a member the council admitted whose
identity record is the case's infringer digest."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.suite import application
from tests.infringements_reasons import ALREADY_NAMED, NOT_OPEN, NOT_VETTED, SELF_ACCUSED
from tests.unit.infringements.helpers import INFRINGER


@pytest.mark.parametrize("stage", ["filed", "authorised"])
def test_claim_accused__vetted_member_with_the_infringers_identity__named_and_logged(
    infringements: Any, vetted_accused: Any, case_in: Callable[[str], int], stage: str
) -> None:
    case = case_in(stage)

    tx = infringements.claim_accused(case, sender=vetted_accused)

    assert infringements.cases(case).accused == vetted_accused.address
    assert tx.events == [infringements.AccusedClaimed(case=case, accused=vetted_accused.address)]


@pytest.mark.parametrize("who", ["stranger", "applicant", "rejected", "other member"])
def test_claim_accused__identity_not_proven__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    attacker: Any,
    provider: Any,
    filed_case: int,
    who: str,
) -> None:
    sender = provider if who == "other member" else attacker  # the provider: another identity
    if who in ("applicant", "rejected"):
        pool_alliance.apply(int(Kind.SME), INFRINGER, sender=attacker)  # claims the digest
        if who == "rejected":
            pool_alliance.reject(*application(pool_alliance, attacker), sender=pool_council)

    with ape.reverts(NOT_VETTED):
        infringements.claim_accused(filed_case, sender=sender)


def test_claim_accused__already_named__reverts(
    infringements: Any, vetted_accused: Any, filed_case: int
) -> None:
    infringements.claim_accused(filed_case, sender=vetted_accused)

    with ape.reverts(ALREADY_NAMED):
        infringements.claim_accused(filed_case, sender=vetted_accused)


def test_claim_accused__by_the_filing_centre__reverts(
    infringements: Any, protection_centre: Any, filed_case: int
) -> None:
    with ape.reverts(SELF_ACCUSED):
        infringements.claim_accused(filed_case, sender=protection_centre)


@pytest.mark.parametrize("state", ["unknown", "declined", "withdrawn"])
def test_claim_accused__case_not_open__reverts(
    infringements: Any, vetted_accused: Any, case_in: Callable[[str], int], state: str
) -> None:
    case = case_in(state)

    with ape.reverts(NOT_OPEN):
        infringements.claim_accused(case, sender=vetted_accused)
