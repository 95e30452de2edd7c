"""Infringements.settle: a regulator or the council accepts the settlement offered on an
authorised case; the escrowed offer flows into the royalty split (the patent's provider and
centre earn their shares, the fund its own) and the bond returns to the filing centre."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import CaseStatus, Role
from tests.fixtures.pool import PARAMS
from tests.unit.infringements.helpers import (
    BOND,
    INFRINGER,
    NO_OFFER,
    NOT_AUTHORISED,
    NOT_RESOLVER,
    PATENT,
    PRODUCT,
    SETTLEMENT,
    SETTLEMENT_MAX,
    ZERO,
    case_key,
    settle_standing,
)

BPS = 10_000


@pytest.mark.parametrize("resolver", ["regulator", "pool_council"])
def test_settle__offered_case__pays_the_offer_into_the_split_and_returns_the_bond(
    infringements: Any,
    bpc: Any,
    royalties: Any,
    fund: Any,
    actors_by_role: dict[str, Any],
    provider: Any,
    centre: Any,
    protection_centre: Any,
    accused: Any,
    offered_case: int,
    resolver: str,
) -> None:
    sender = actors_by_role[resolver]
    fund_before = bpc.balanceOf(fund)
    fees_before = royalties.fees_in()
    earned_before = (royalties.claimable(provider), royalties.claimable(centre))

    tx = infringements.settle(
        offered_case, infringements.cases(offered_case).settlement, sender=sender
    )

    record = infringements.cases(offered_case)
    assert (record.status, record.closed_at) == (CaseStatus.SETTLED, tx.timestamp)
    assert (record.settlement, record.offerer, record.bond) == (SETTLEMENT, ZERO, BOND)
    assert infringements.open_case(case_key(PATENT, INFRINGER, PRODUCT)) == 0
    assert infringements.settlements_paid() == SETTLEMENT
    # the escrowed offer went through the royalty split, the bond back to the centre
    assert royalties.fees_in() - fees_before == SETTLEMENT
    assert (
        royalties.claimable(provider) - earned_before[0]
        == SETTLEMENT * PARAMS.contributor_bps // BPS
    )
    assert royalties.claimable(centre) - earned_before[1] == SETTLEMENT * PARAMS.centre_bps // BPS
    assert bpc.balanceOf(fund) - fund_before == SETTLEMENT * PARAMS.fund_bps // BPS
    assert bpc.balanceOf(protection_centre) == BOND
    assert bpc.balanceOf(accused) == 0  # nothing returns to the offerer
    assert infringements.offers_held() == infringements.bonds_held() == 0
    assert bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseSettled) == [
        infringements.CaseSettled(
            case=offered_case,
            resolver=sender.address,
            payer=accused.address,
            settlement=SETTLEMENT,
            bond_returned=BOND,
        )
    ]
    paid = tx.events.filter(royalties.RoyaltyPaid)
    assert [(p.payer, bytes(p.reference), p.amount) for p in paid] == [
        (infringements.address, offered_case.to_bytes(32, "big"), SETTLEMENT)
    ]


def test_settle__provider_claims__receives_its_share(
    infringements: Any, bpc: Any, royalties: Any, provider: Any, regulator: Any, offered_case: int
) -> None:
    infringements.settle(
        offered_case, infringements.cases(offered_case).settlement, sender=regulator
    )
    held = bpc.balanceOf(provider)

    royalties.claim(sender=provider)

    assert bpc.balanceOf(provider) - held == SETTLEMENT * PARAMS.contributor_bps // BPS


def test_settle__offer_replaced__settles_the_latest_offer_from_its_offerer(
    infringements: Any,
    bpc: Any,
    royalties: Any,
    regulator: Any,
    accused: Any,
    insurer: Any,
    offered_case: int,
    offer: Callable[..., Any],
) -> None:
    offer(offered_case, 2 * SETTLEMENT, insurer)
    fees_before = royalties.fees_in()

    tx = infringements.settle(
        offered_case, infringements.cases(offered_case).settlement, sender=regulator
    )

    settled = tx.events.filter(infringements.CaseSettled)[0]
    assert (settled.payer, settled.settlement) == (insurer.address, 2 * SETTLEMENT)
    assert royalties.fees_in() - fees_before == 2 * SETTLEMENT
    assert (bpc.balanceOf(accused), bpc.balanceOf(insurer)) == (SETTLEMENT, 0)
    assert bpc.balanceOf(infringements) == infringements.offers_held() == 0


@pytest.mark.parametrize("amount", [1, SETTLEMENT_MAX], ids=["one wei", "cap"])
def test_settle__offer_at_its_bounds__pays_it(
    infringements: Any,
    royalties: Any,
    regulator: Any,
    authorised_case: int,
    offer: Callable[..., Any],
    amount: int,
) -> None:
    offer(authorised_case, amount)
    fees_before = royalties.fees_in()

    infringements.settle(
        authorised_case, infringements.cases(authorised_case).settlement, sender=regulator
    )

    assert infringements.settlements_paid() == amount
    assert royalties.fees_in() - fees_before == amount


def test_settle__authorised_case_without_an_offer__reverts(
    infringements: Any, regulator: Any, authorised_case: int
) -> None:
    with ape.reverts(NO_OFFER):
        infringements.settle(
            authorised_case, infringements.cases(authorised_case).settlement, sender=regulator
        )


@pytest.mark.parametrize(
    "caller", ["attacker", "protection_centre", "provider", "centre", "outsider"]
)  # the outsider is also the accused, who made the offer
def test_settle__by_anyone_but_a_regulator_or_the_council__reverts(
    infringements: Any, actors_by_role: dict[str, Any], offered_case: int, caller: str
) -> None:
    with ape.reverts(NOT_RESOLVER):
        infringements.settle(
            offered_case,
            infringements.cases(offered_case).settlement,
            sender=actors_by_role[caller],
        )


@pytest.mark.parametrize("lost", ["suspended", "role revoked"])
def test_settle__regulator_suspended_or_without_its_role__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    regulator: Any,
    offered_case: int,
    lost: str,
) -> None:
    if lost == "suspended":
        pool_alliance.suspend(regulator, sender=pool_council)
    else:
        pool_alliance.revoke_role(regulator, int(Role.REGULATOR), sender=pool_council)

    with ape.reverts(NOT_RESOLVER):
        infringements.settle(
            offered_case, infringements.cases(offered_case).settlement, sender=regulator
        )


@pytest.mark.parametrize(
    "state", ["unknown", "filed", "declined", "settled", "dismissed", "withdrawn"]
)
def test_settle__case_not_authorised__reverts(
    infringements: Any,
    regulator: Any,
    provider: Any,
    protection_centre: Any,
    filed_case: int,
    offer: Callable[..., Any],
    state: str,
) -> None:
    case = 99 if state == "unknown" else filed_case
    if state == "declined":
        infringements.decline(case, sender=provider)
    elif state in ("settled", "dismissed", "withdrawn"):
        infringements.authorise(case, sender=provider)
        offer(case)
        if state == "settled":
            settle_standing(infringements, case, sender=regulator)
        elif state == "dismissed":
            infringements.dismiss(case, ZERO, sender=regulator)
        else:
            infringements.withdraw(case, sender=protection_centre)

    with ape.reverts(NOT_AUTHORISED):
        settle_standing(infringements, case, sender=regulator)


def test_settle__offer_cut_after_the_resolver_decided__reverts_and_pays_nothing(
    infringements: Any,
    regulator: Any,
    attacker: Any,
    offered_case: int,
    offer: Callable[..., Any],
) -> None:
    accepted = infringements.cases(offered_case).settlement  # what the regulator read
    offer(offered_case, 1, attacker)  # mined before the regulator's settle

    with ape.reverts("infringements: the offer standing is not the one accepted"):
        infringements.settle(offered_case, accepted, sender=regulator)

    assert infringements.settlements_paid() == 0
    assert infringements.cases(offered_case).settlement == 1
