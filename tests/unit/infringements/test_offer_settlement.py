"""Infringements.offer_settlement: the infringer's side (anyone: the infringer is known
on-chain only by a digest) offers to settle an authorised case by paying the amount into
escrow; a new offer replaces the standing one, which returns to whoever made it."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BAD_SETTLEMENT,
    BOND,
    NO_ALLOWANCE,
    NO_BALANCE,
    OFFER_NOT_AUTHORISED,
    OTHER_PRODUCT,
    SETTLEMENT,
    SETTLEMENT_MAX,
    ZERO,
    settle_standing,
)


def test_offer_settlement__authorised_case__escrows_the_offer_and_logs(
    infringements: Any,
    bpc: Any,
    accused: Any,
    authorised_case: int,
    approve_offer: Callable[..., None],
) -> None:
    approve_offer(SETTLEMENT)

    tx = infringements.offer_settlement(authorised_case, SETTLEMENT, sender=accused)

    record = infringements.cases(authorised_case)
    assert (record.settlement, record.offerer) == (SETTLEMENT, accused.address)
    assert (record.status, record.closed_at) == (CaseStatus.AUTHORISED, 0)  # still open
    assert infringements.offers_held() == SETTLEMENT
    assert infringements.bonds_held() == BOND
    assert bpc.balanceOf(infringements) == BOND + SETTLEMENT
    assert bpc.balanceOf(accused) == 0
    assert tx.events.filter(infringements.SettlementOffered) == [
        infringements.SettlementOffered(
            case=authorised_case, offerer=accused.address, amount=SETTLEMENT, replaced=0
        )
    ]


def test_offer_settlement__by_a_third_party__escrows_it_as_that_partys_offer(
    infringements: Any, bpc: Any, insurer: Any, authorised_case: int, offer: Callable[..., Any]
) -> None:
    offer(authorised_case, offerer=insurer)

    assert infringements.cases(authorised_case).offerer == insurer.address
    assert bpc.balanceOf(insurer) == 0
    assert infringements.offers_held() == SETTLEMENT


def test_offer_settlement__another_party_offers__replaces_the_offer_and_refunds_the_first(
    infringements: Any,
    bpc: Any,
    accused: Any,
    insurer: Any,
    offered_case: int,
    approve_offer: Callable[..., None],
) -> None:
    higher = 3 * SETTLEMENT
    approve_offer(higher, insurer)

    tx = infringements.offer_settlement(offered_case, higher, sender=insurer)

    record = infringements.cases(offered_case)
    assert (record.settlement, record.offerer) == (higher, insurer.address)
    assert bpc.balanceOf(accused) == SETTLEMENT  # the first offer came back
    assert bpc.balanceOf(insurer) == 0
    assert infringements.offers_held() == higher
    assert bpc.balanceOf(infringements) == BOND + higher
    assert tx.events.filter(infringements.SettlementOffered) == [
        infringements.SettlementOffered(
            case=offered_case, offerer=insurer.address, amount=higher, replaced=SETTLEMENT
        )
    ]
    # the new offer comes in before the old one goes out
    register = infringements.address
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=insurer.address, receiver=register, value=higher),
        bpc.Transfer(sender=register, receiver=accused.address, value=SETTLEMENT),
    ]


def test_offer_settlement__same_offerer_lowers_its_offer__holds_only_the_new_amount(
    infringements: Any,
    bpc: Any,
    accused: Any,
    offered_case: int,
    approve_offer: Callable[..., None],
) -> None:
    lower = SETTLEMENT // 4
    approve_offer(lower)

    tx = infringements.offer_settlement(offered_case, lower, sender=accused)

    assert infringements.cases(offered_case).settlement == lower
    assert bpc.balanceOf(accused) == SETTLEMENT  # paid `lower` in, got SETTLEMENT back
    assert infringements.offers_held() == lower
    assert bpc.balanceOf(infringements) == BOND + lower
    assert tx.events.filter(infringements.SettlementOffered)[0].replaced == SETTLEMENT


def test_offer_settlement__offers_on_two_cases__each_case_keeps_its_own(
    infringements: Any,
    bpc: Any,
    provider: Any,
    accused: Any,
    insurer: Any,
    offered_case: int,
    file_case: Callable[..., int],
    offer: Callable[..., Any],
) -> None:
    second = file_case(product=OTHER_PRODUCT)
    infringements.authorise(second, sender=provider)

    tx = offer(second, 7, insurer)

    assert tx.events.filter(infringements.SettlementOffered)[0].replaced == 0
    assert (infringements.cases(offered_case).settlement, bpc.balanceOf(accused)) == (
        SETTLEMENT, 0
    )  # fmt: skip
    assert infringements.offers_held() == SETTLEMENT + 7
    assert bpc.balanceOf(infringements) == 2 * BOND + SETTLEMENT + 7


@pytest.mark.parametrize("amount", [1, SETTLEMENT_MAX], ids=["one wei", "cap"])
def test_offer_settlement__amount_at_its_bounds__accepted(
    infringements: Any, authorised_case: int, offer: Callable[..., Any], amount: int
) -> None:
    offer(authorised_case, amount)

    assert infringements.cases(authorised_case).settlement == amount
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


@pytest.mark.parametrize(
    "state", ["unknown", "filed", "declined", "settled", "dismissed", "withdrawn"]
)
def test_offer_settlement__case_not_authorised__reverts(
    infringements: Any,
    provider: Any,
    protection_centre: Any,
    regulator: Any,
    accused: Any,
    filed_case: int,
    offer: Callable[..., Any],
    approve_offer: Callable[..., None],
    state: str,
) -> None:
    case = 99 if state == "unknown" else filed_case
    if state == "declined":
        infringements.decline(case, sender=provider)
    elif state in ("settled", "dismissed", "withdrawn"):
        infringements.authorise(case, sender=provider)
        if state == "settled":
            offer(case)
            settle_standing(infringements, case, sender=regulator)
        elif state == "dismissed":
            infringements.dismiss(case, ZERO, sender=regulator)
        else:
            infringements.withdraw(case, sender=protection_centre)
    approve_offer(SETTLEMENT)

    with ape.reverts(OFFER_NOT_AUTHORISED):
        infringements.offer_settlement(case, SETTLEMENT, sender=accused)


def test_offer_settlement__offerer_did_not_approve__reverts(
    infringements: Any, fund_bpc: Any, accused: Any, authorised_case: int
) -> None:
    fund_bpc(accused, SETTLEMENT)

    with ape.reverts(NO_ALLOWANCE):
        infringements.offer_settlement(authorised_case, SETTLEMENT, sender=accused)


def test_offer_settlement__offerer_approved_but_lacks_the_amount__reverts(
    infringements: Any, bpc: Any, fund_bpc: Any, accused: Any, authorised_case: int
) -> None:
    fund_bpc(accused, SETTLEMENT - 1)
    bpc.approve(infringements, SETTLEMENT, sender=accused)

    with ape.reverts(NO_BALANCE):
        infringements.offer_settlement(authorised_case, SETTLEMENT, sender=accused)


def test_offer_settlement__replacement_not_paid_for__reverts(
    infringements: Any, fund_bpc: Any, insurer: Any, offered_case: int
) -> None:
    fund_bpc(insurer, 2 * SETTLEMENT)  # held but not approved: the standing offer stays

    with ape.reverts(NO_ALLOWANCE):
        infringements.offer_settlement(offered_case, 2 * SETTLEMENT, sender=insurer)
