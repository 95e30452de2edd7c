"""Infringements.decline: the patent's provider, or its trusteeship centre, declines
litigation of a filed case while an active member (the council decides for the fund's
patents); the case closes and the bond returns to the filing centre. A case whose
authorisation lapsed (the patent changed hands) awaits the new owner's decision again."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BOND,
    FILED_KEY,
)


@pytest.mark.parametrize("decider", ["provider", "centre"])
def test_decline__by_the_provider_or_its_centre__closes_and_returns_the_bond(
    infringements: Any,
    bpc: Any,
    actors_by_role: dict[str, Any],
    protection_centre: Any,
    filed_case: int,
    decider: str,
) -> None:
    sender = actors_by_role[decider]

    tx = infringements.decline(filed_case, sender=sender)

    record = infringements.cases(filed_case)
    assert (record.status, record.closed_at) == (CaseStatus.DECLINED, tx.timestamp)
    assert (record.bond, record.settlement) == (BOND, 0)  # the record keeps what was posted
    assert infringements.open_case(FILED_KEY) == 0
    assert bpc.balanceOf(protection_centre) == BOND
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseDeclined) == [
        infringements.CaseDeclined(case=filed_case, provider=sender.address, bond_returned=BOND)
    ]


def test_decline__bond_zero_case__closes_without_moving_bpc(
    infringements: Any, bpc: Any, pool_council: Any, provider: Any, file_case: Any
) -> None:
    infringements.set_bond(0, False, sender=pool_council)
    case = file_case()

    tx = infringements.decline(case, sender=provider)

    assert infringements.cases(case).status == CaseStatus.DECLINED
    assert tx.events.filter(infringements.CaseDeclined)[0].bond_returned == 0
    assert bpc.balanceOf(infringements) == 0


def test_decline__fund_patent__the_council_declines_and_the_bond_returns(
    infringements: Any, bpc: Any, pool_council: Any, protection_centre: Any, fund_case: int
) -> None:
    tx = infringements.decline(fund_case, sender=pool_council)

    assert infringements.cases(fund_case).status == CaseStatus.DECLINED
    assert bpc.balanceOf(protection_centre) == BOND
    assert tx.events.filter(infringements.CaseDeclined) == [
        infringements.CaseDeclined(
            case=fund_case, provider=pool_council.address, bond_returned=BOND
        )
    ]


@pytest.mark.parametrize(
    ("ground", "decider"),
    [
        pytest.param("changed hands", "provider2", id="authorisation lapsed: the buyer declines"),
        pytest.param("removed", "provider", id="left the pool: its last provider declines"),
    ],
)
def test_decline__authorised_case_lost_its_ground__the_owner_of_record_declines(
    infringements: Any,
    bpc: Any,
    actors_by_role: dict[str, Any],
    protection_centre: Any,
    authorised_case: int,
    lose_ground: Callable[[str], None],
    ground: str,
    decider: str,
) -> None:
    lose_ground(ground)

    infringements.decline(authorised_case, sender=actors_by_role[decider])

    assert infringements.cases(authorised_case).status == CaseStatus.DECLINED
    assert bpc.balanceOf(protection_centre) == BOND
