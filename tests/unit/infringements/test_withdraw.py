"""Infringements.withdraw: the filing centre withdraws its open case (filed or authorised).
Its bond returns only if the case lost its ground (the patent left the pool, or changed
hands since it was authorised); else withdrawing concedes the case and the bond goes
where a dismissal would send it, so a centre cannot dodge a dismissal by withdrawing
first. Standing offers stay for their offerers to take back."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BOND,
    FILED_KEY,
    SETTLEMENT,
    offer_of,
)


@pytest.mark.parametrize("stage", ["filed", "authorised"])
def test_withdraw__case_still_stands__closes_and_forfeits_the_bond_to_the_fund(
    infringements: Any,
    bpc: Any,
    fund: Any,
    protection_centre: Any,
    case_in: Callable[[str], int],
    stage: str,
) -> None:
    case = case_in(stage)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.withdraw(case, sender=protection_centre)

    record = infringements.cases(case)
    assert (record.status, record.closed_at) == (CaseStatus.WITHDRAWN, tx.timestamp)
    assert infringements.open_case(FILED_KEY) == 0
    assert bpc.balanceOf(protection_centre) == 0
    assert bpc.balanceOf(fund) - fund_before == BOND
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseWithdrawn) == [
        infringements.CaseWithdrawn(case=case, bond_to=fund.address, bond=BOND)
    ]


@pytest.mark.parametrize(
    ("stage", "ground"),
    [
        pytest.param("authorised", "removed", id="authorised_case_removed_from_the_pool"),
        pytest.param("authorised", "changed hands", id="authorised_case_changed_hands"),
        pytest.param("filed", "removed", id="filed_case_whose_patent_left_the_pool"),
    ],
)
def test_withdraw__case_lost_its_ground__returns_the_bond(
    infringements: Any,
    bpc: Any,
    protection_centre: Any,
    case_in: Callable[[str], int],
    lose_ground: Callable[[str], None],
    stage: str,
    ground: str,
) -> None:
    case = case_in(stage)
    lose_ground(ground)

    tx = infringements.withdraw(case, sender=protection_centre)

    assert bpc.balanceOf(protection_centre) == BOND
    assert tx.events.filter(infringements.CaseWithdrawn) == [
        infringements.CaseWithdrawn(case=case, bond_to=protection_centre.address, bond=BOND)
    ]


def test_withdraw__offer_standing__the_offer_stays_for_its_offerer(
    infringements: Any,
    bpc: Any,
    protection_centre: Any,
    accused: Any,
    offered_case: int,
) -> None:
    tx = infringements.withdraw(offered_case, sender=protection_centre)

    assert infringements.cases(offered_case).status == CaseStatus.WITHDRAWN
    assert offer_of(infringements, 1) == (offered_case, accused.address, SETTLEMENT)
    assert infringements.offers_held() == bpc.balanceOf(infringements) == SETTLEMENT
    assert infringements.bonds_held() == 0
    assert tx.events.filter(infringements.OfferWithdrawn) == []
    infringements.withdraw_offer(1, sender=protection_centre)  # anyone, now it is closed
    assert bpc.balanceOf(accused) == SETTLEMENT


def test_withdraw__centre_suspended_since_filing__still_withdraws(
    infringements: Any,
    protection_centre: Any,
    filed_case: int,
    lose_standing: Callable[..., None],
) -> None:
    lose_standing(protection_centre, "suspended")

    infringements.withdraw(filed_case, sender=protection_centre)

    assert infringements.cases(filed_case).status == CaseStatus.WITHDRAWN
