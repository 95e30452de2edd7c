"""Infringements.offer_settlement: the infringer's side (anyone: the infringer is known
on-chain only by a digest) offers to settle an authorised case by paying the amount into
escrow; each offer stands under its own id, and no offer displaces another."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus
from tests.infringements_reasons import BAD_SETTLEMENT
from tests.unit.infringements.helpers import BOND, SETTLEMENT, SETTLEMENT_MAX, offer_of


def test_offer_settlement__authorised_case__escrows_the_offer_and_logs(
    infringements: Any,
    bpc: Any,
    accused: Any,
    authorised_case: int,
    approve_offer: Callable[..., None],
) -> None:
    approve_offer(SETTLEMENT)

    tx = infringements.offer_settlement(authorised_case, SETTLEMENT, sender=accused)

    assert tx.return_value == 1
    assert infringements.offer_count() == 1
    assert offer_of(infringements, 1) == (authorised_case, accused.address, SETTLEMENT)
    record = infringements.cases(authorised_case)
    assert (record.status, record.closed_at, record.settlement) == (CaseStatus.AUTHORISED, 0, 0)
    assert infringements.offers_held() == SETTLEMENT
    assert infringements.bonds_held() == BOND
    assert bpc.balanceOf(infringements) == BOND + SETTLEMENT
    assert bpc.balanceOf(accused) == 0
    assert tx.events.filter(infringements.SettlementOffered) == [
        infringements.SettlementOffered(
            case=authorised_case, offer=1, offerer=accused.address, amount=SETTLEMENT
        )
    ]


def test_offer_settlement__by_a_third_party__escrows_it_as_that_partys_offer(
    infringements: Any, bpc: Any, insurer: Any, authorised_case: int, offer: Callable[..., int]
) -> None:
    made = offer(authorised_case, offerer=insurer)

    assert offer_of(infringements, made) == (authorised_case, insurer.address, SETTLEMENT)
    assert bpc.balanceOf(insurer) == 0
    assert infringements.offers_held() == SETTLEMENT


def test_offer_settlement__another_party_offers__both_offers_stand(
    infringements: Any,
    bpc: Any,
    accused: Any,
    insurer: Any,
    offered_case: int,
    offer: Callable[..., int],
) -> None:
    second = offer(offered_case, 1, insurer)

    assert second == 2
    assert offer_of(infringements, 1) == (offered_case, accused.address, SETTLEMENT)
    assert offer_of(infringements, 2) == (offered_case, insurer.address, 1)
    assert bpc.balanceOf(accused) == 0  # nothing was pushed back
    assert infringements.offers_held() == SETTLEMENT + 1
    assert bpc.balanceOf(infringements) == BOND + SETTLEMENT + 1


def test_offer_settlement__same_offerer_offers_again__holds_both(
    infringements: Any, accused: Any, offered_case: int, offer: Callable[..., int]
) -> None:
    offer(offered_case, SETTLEMENT // 4)

    assert infringements.offers_held() == SETTLEMENT + SETTLEMENT // 4
    assert offer_of(infringements, 2) == (offered_case, accused.address, SETTLEMENT // 4)


def test_offer_settlement__offers_on_two_cases__each_case_keeps_its_own(
    infringements: Any,
    bpc: Any,
    insurer: Any,
    offered_case: int,
    open_another_case: Callable[[], int],
    offer: Callable[..., int],
) -> None:
    second = open_another_case()

    made = offer(second, 7, insurer)

    assert offer_of(infringements, made) == (second, insurer.address, 7)
    assert infringements.offers_held() == SETTLEMENT + 7
    assert bpc.balanceOf(infringements) == 2 * BOND + SETTLEMENT + 7


@pytest.mark.parametrize("amount", [1, SETTLEMENT_MAX], ids=["one wei", "cap"])
def test_offer_settlement__amount_at_its_bounds__accepted(
    infringements: Any, authorised_case: int, offer: Callable[..., int], amount: int
) -> None:
    made = offer(authorised_case, amount)

    assert offer_of(infringements, made)[2] == amount
    assert infringements.offers_held() == amount


@pytest.mark.parametrize("amount", [0, SETTLEMENT_MAX + 1], ids=["zero", "above cap"])
def test_offer_settlement__amount_out_of_bounds__reverts(
    infringements: Any,
    accused: Any,
    authorised_case: int,
    approve_offer: Callable[..., None],
    amount: int,
) -> None:
    approve_offer(amount)

    with ape.reverts(BAD_SETTLEMENT):
        infringements.offer_settlement(authorised_case, amount, sender=accused)
