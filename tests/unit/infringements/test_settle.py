"""Infringements.settle: a regulator or the council, not a party to the case, accepts one
offer standing on an authorised case (named by its id); it goes to the infringed patent
(Royalties.pay_for: its provider and centre earn their shares, the fund its own) and the
bond returns to the filing centre. Other offers stay for their offerers."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus
from tests.fixtures.pool import PARAMS, PoolDriver
from tests.infringements_reasons import LAPSED, NOT_ACCEPTED
from tests.unit.infringements.helpers import (
    BOND,
    FILED_KEY,
    PATENT,
    SETTLEMENT,
    SETTLEMENT_MAX,
    offer_of,
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

    tx = infringements.settle(offered_case, 1, sender=sender)

    record = infringements.cases(offered_case)
    assert (record.status, record.closed_at) == (CaseStatus.SETTLED, tx.timestamp)
    assert (record.settlement, record.bond) == (SETTLEMENT, BOND)
    assert offer_of(infringements, 1) == (offered_case, accused.address, 0)  # spent
    assert infringements.open_case(FILED_KEY) == 0
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
            offer=1,
            settlement=SETTLEMENT,
            bond_returned=BOND,
        )
    ]
    assert tx.events.filter(royalties.RoyaltyPaid) == []  # nothing spread over the pool
    paid = tx.events.filter(royalties.PatentRoyaltyPaid)
    assert [(p.payer, bytes(p.patent), bytes(p.reference), p.amount) for p in paid] == [
        (infringements.address, PATENT, offered_case.to_bytes(32, "big"), SETTLEMENT)
    ]


def test_settle__another_patent_pooled__the_infringed_patent_alone_earns_the_settlement(
    walker: PoolDriver,
    infringements: Any,
    royalties: Any,
    provider: Any,
    provider2: Any,
    regulator: Any,
    offered_case: int,
) -> None:
    """Issue 17, point 3: a settlement went over the whole pool, so another member's
    larger patent took most of what the infringed patent earned."""
    walker.pooled(provider2, "11876543", score=100)
    before = (royalties.claimable(provider), royalties.claimable(provider2))

    infringements.settle(offered_case, 1, sender=regulator)

    assert royalties.claimable(provider2) == before[1]
    assert royalties.claimable(provider) - before[0] == SETTLEMENT * PARAMS.contributor_bps // BPS


def test_settle__provider_claims__receives_its_share(
    infringements: Any, bpc: Any, royalties: Any, provider: Any, regulator: Any, offered_case: int
) -> None:
    infringements.settle(offered_case, 1, sender=regulator)
    held = bpc.balanceOf(provider)

    royalties.claim(sender=provider)

    assert bpc.balanceOf(provider) - held == SETTLEMENT * PARAMS.contributor_bps // BPS


def test_settle__several_offers__settles_the_one_named_and_leaves_the_others_standing(
    infringements: Any,
    bpc: Any,
    royalties: Any,
    provider: Any,
    regulator: Any,
    accused: Any,
    insurer: Any,
    offered_case: int,
    offer: Callable[..., int],
) -> None:
    higher = offer(offered_case, 2 * SETTLEMENT, insurer)
    infringements.accept_offer(offered_case, higher, sender=provider)  # instead of offer 1
    fees_before = royalties.fees_in()

    tx = infringements.settle(offered_case, higher, sender=regulator)

    settled = tx.events.filter(infringements.CaseSettled)[0]
    assert (settled.payer, settled.offer, settled.settlement) == (
        insurer.address, higher, 2 * SETTLEMENT
    )  # fmt: skip
    assert royalties.fees_in() - fees_before == 2 * SETTLEMENT
    assert offer_of(infringements, 1) == (offered_case, accused.address, SETTLEMENT)
    assert bpc.balanceOf(infringements) == infringements.offers_held() == SETTLEMENT
    infringements.withdraw_offer(1, sender=regulator)  # anyone returns it once closed
    assert bpc.balanceOf(accused) == SETTLEMENT


@pytest.mark.parametrize("amount", [1, SETTLEMENT_MAX], ids=["one wei", "cap"])
def test_settle__offer_at_its_bounds__pays_it(
    infringements: Any,
    royalties: Any,
    provider: Any,
    regulator: Any,
    authorised_case: int,
    offer: Callable[..., int],
    amount: int,
) -> None:
    made = offer(authorised_case, amount)
    infringements.accept_offer(authorised_case, made, sender=provider)
    fees_before = royalties.fees_in()

    infringements.settle(authorised_case, made, sender=regulator)

    assert infringements.settlements_paid() == amount
    assert royalties.fees_in() - fees_before == amount


def test_settle__patent_changed_hands_since_the_authorisation__reverts_until_reauthorised(
    infringements: Any,
    provider2: Any,
    regulator: Any,
    offered_case: int,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(PATENT)

    with ape.reverts(LAPSED):
        infringements.settle(offered_case, 1, sender=regulator)
    infringements.authorise(offered_case, sender=provider2)  # the buyer's own decision
    with ape.reverts(NOT_ACCEPTED):  # the seller's acceptance ended with its authorisation
        infringements.settle(offered_case, 1, sender=regulator)
    infringements.accept_offer(offered_case, 1, sender=provider2)
    infringements.settle(offered_case, 1, sender=regulator)

    assert infringements.cases(offered_case).status == CaseStatus.SETTLED


@pytest.mark.parametrize("accepted", ["none", "another offer"])
def test_settle__offer_the_provider_did_not_accept__reverts(
    infringements: Any,
    provider: Any,
    regulator: Any,
    insurer: Any,
    authorised_case: int,
    offer: Callable[..., int],
    accepted: str,
) -> None:
    first = offer(authorised_case)
    second = offer(authorised_case, 2 * SETTLEMENT, insurer)
    if accepted == "another offer":
        infringements.accept_offer(authorised_case, first, sender=provider)

    with ape.reverts(NOT_ACCEPTED):
        infringements.settle(authorised_case, second, sender=regulator)
