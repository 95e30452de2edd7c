"""Infringements.withdraw: the filing centre withdraws its open case (filed or authorised)
and its bond returns, as does a pending settlement offer to its offerer."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BOND,
    INFRINGER,
    NOT_FILING_CENTRE,
    NOT_OPEN,
    PATENT,
    PRODUCT,
    SETTLEMENT,
    ZERO,
    case_key,
    settle_standing,
)


@pytest.mark.parametrize("stage", ["filed", "authorised"])
def test_withdraw__by_the_filing_centre__closes_and_returns_the_bond(
    infringements: Any,
    bpc: Any,
    provider: Any,
    protection_centre: Any,
    filed_case: int,
    stage: str,
) -> None:
    if stage == "authorised":
        infringements.authorise(filed_case, sender=provider)

    tx = infringements.withdraw(filed_case, sender=protection_centre)

    record = infringements.cases(filed_case)
    assert (record.status, record.closed_at) == (CaseStatus.WITHDRAWN, tx.timestamp)
    assert infringements.open_case(case_key(PATENT, INFRINGER, PRODUCT)) == 0
    assert bpc.balanceOf(protection_centre) == BOND
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseWithdrawn) == [
        infringements.CaseWithdrawn(case=filed_case, bond_returned=BOND)
    ]


def test_withdraw__offer_pending__refunds_the_offerer_and_returns_the_bond(
    infringements: Any,
    bpc: Any,
    protection_centre: Any,
    accused: Any,
    offered_case: int,
) -> None:
    tx = infringements.withdraw(offered_case, sender=protection_centre)

    record = infringements.cases(offered_case)
    assert (record.status, record.settlement, record.offerer) == (
        CaseStatus.WITHDRAWN, 0, ZERO
    )  # fmt: skip
    assert bpc.balanceOf(accused) == SETTLEMENT
    assert bpc.balanceOf(protection_centre) == BOND
    assert infringements.offers_held() == infringements.bonds_held() == 0
    assert bpc.balanceOf(infringements) == 0
    register = infringements.address
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=register, receiver=accused.address, value=SETTLEMENT),
        bpc.Transfer(sender=register, receiver=protection_centre.address, value=BOND),
    ]
    assert tx.events.filter(infringements.CaseWithdrawn) == [
        infringements.CaseWithdrawn(case=offered_case, bond_returned=BOND)
    ]


def test_withdraw__centre_suspended_since_filing__still_withdraws(
    infringements: Any,
    bpc: Any,
    pool_alliance: Any,
    pool_council: Any,
    protection_centre: Any,
    filed_case: int,
) -> None:
    pool_alliance.suspend(protection_centre, sender=pool_council)

    infringements.withdraw(filed_case, sender=protection_centre)

    assert bpc.balanceOf(protection_centre) == BOND


@pytest.mark.parametrize("caller", ["attacker", "provider", "centre", "regulator", "pool_council"])
def test_withdraw__by_anyone_but_the_filing_centre__reverts(
    infringements: Any, actors_by_role: dict[str, Any], filed_case: int, caller: str
) -> None:
    with ape.reverts(NOT_FILING_CENTRE):
        infringements.withdraw(filed_case, sender=actors_by_role[caller])


@pytest.mark.parametrize("state", ["unknown", "declined", "withdrawn", "dismissed", "settled"])
def test_withdraw__case_not_open__reverts(
    infringements: Any,
    provider: Any,
    protection_centre: Any,
    regulator: Any,
    filed_case: int,
    offer: Callable[..., Any],
    state: str,
) -> None:
    case = 99 if state == "unknown" else filed_case
    if state == "declined":
        infringements.decline(case, sender=provider)
    elif state == "withdrawn":
        infringements.withdraw(case, sender=protection_centre)
    elif state == "dismissed":
        infringements.dismiss(case, ZERO, sender=regulator)
    elif state == "settled":
        infringements.authorise(case, sender=provider)
        offer(case, 1)
        settle_standing(infringements, case, sender=regulator)

    with ape.reverts(NOT_OPEN):
        infringements.withdraw(case, sender=protection_centre)
