"""Infringements.decline: the patent's provider, or its trusteeship centre, declines
litigation of a filed case while an active member (the council decides for the fund's
patents); the case closes and the bond returns to the filing centre. A case whose
authorisation lapsed (the patent changed hands) awaits the new owner's decision again."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus, Removal
from tests.unit.infringements.helpers import (
    BOND,
    INFRINGER,
    NOT_ACTIVE,
    NOT_AWAITING,
    NOT_PROVIDER,
    PATENT,
    PRODUCT,
    case_key,
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
    assert infringements.open_case(case_key(PATENT, INFRINGER, PRODUCT)) == 0
    assert bpc.balanceOf(protection_centre) == BOND
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseDeclined) == [
        infringements.CaseDeclined(case=filed_case, provider=sender.address, bond_returned=BOND)
    ]


@pytest.mark.parametrize(
    "caller", ["attacker", "protection_centre", "regulator", "pool_council", "provider2"]
)
def test_decline__by_anyone_else__reverts(
    infringements: Any, actors_by_role: dict[str, Any], filed_case: int, caller: str
) -> None:
    with ape.reverts(NOT_PROVIDER):
        infringements.decline(filed_case, sender=actors_by_role[caller])


@pytest.mark.parametrize("state", ["unknown", "authorised", "declined", "withdrawn"])
def test_decline__case_not_awaiting_the_provider__reverts(
    infringements: Any, provider: Any, case_in: Callable[[str], int], state: str
) -> None:
    case = case_in(state)

    with ape.reverts(NOT_AWAITING):
        infringements.decline(case, sender=provider)


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


@pytest.mark.parametrize("caller", ["provider", "regulator", "attacker"])
def test_decline__fund_patent_by_anyone_but_the_council__reverts(
    infringements: Any, actors_by_role: dict[str, Any], fund_case: int, caller: str
) -> None:
    with ape.reverts(NOT_PROVIDER):
        infringements.decline(fund_case, sender=actors_by_role[caller])


@pytest.mark.parametrize("decider", ["provider", "centre"])
def test_decline__provider_or_centre_suspended__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    actors_by_role: dict[str, Any],
    filed_case: int,
    decider: str,
) -> None:
    sender = actors_by_role[decider]
    pool_alliance.suspend(sender, sender=pool_council)

    with ape.reverts(NOT_ACTIVE):
        infringements.decline(filed_case, sender=sender)


def test_decline__authorisation_lapsed_with_a_change_of_hands__the_buyer_declines(
    infringements: Any,
    bpc: Any,
    provider2: Any,
    protection_centre: Any,
    authorised_case: int,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(PATENT)

    infringements.decline(authorised_case, sender=provider2)

    assert infringements.cases(authorised_case).status == CaseStatus.DECLINED
    assert bpc.balanceOf(protection_centre) == BOND


def test_decline__patent_left_the_pool__its_last_provider_still_declines(
    infringements: Any,
    bpc: Any,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    protection_centre: Any,
    authorised_case: int,
) -> None:
    patent_pool.remove(PATENT, int(Removal.SOLD), sender=pool_council)

    infringements.decline(authorised_case, sender=provider)

    assert bpc.balanceOf(protection_centre) == BOND
