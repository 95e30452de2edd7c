"""Infringements.dismiss: a regulator or the council dismisses an open case (filed or
authorised); its bond goes to the fund, or to the accused's side when the council's policy
says so and one is named (never the register itself); a pending settlement offer returns
to its offerer."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BOND,
    INFRINGER,
    NOT_OPEN,
    NOT_RESOLVER,
    PATENT,
    PRODUCT,
    REGISTER_AS_ACCUSED,
    SETTLEMENT,
    ZERO,
    case_key,
)


@pytest.mark.parametrize("stage", ["filed", "authorised"])
@pytest.mark.parametrize("resolver", ["regulator", "pool_council"])
def test_dismiss__open_case__closes_and_sends_the_bond_to_the_fund(
    infringements: Any,
    bpc: Any,
    fund: Any,
    actors_by_role: dict[str, Any],
    provider: Any,
    protection_centre: Any,
    accused: Any,
    filed_case: int,
    stage: str,
    resolver: str,
) -> None:
    sender = actors_by_role[resolver]
    if stage == "authorised":
        infringements.authorise(filed_case, sender=provider)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(filed_case, accused, sender=sender)

    record = infringements.cases(filed_case)
    assert (record.status, record.closed_at, record.settlement) == (
        CaseStatus.DISMISSED, tx.timestamp, 0
    )  # fmt: skip
    assert infringements.open_case(case_key(PATENT, INFRINGER, PRODUCT)) == 0
    # the policy is "to the fund": the accused named is ignored, the centre loses its bond
    assert bpc.balanceOf(fund) - fund_before == BOND
    assert bpc.balanceOf(accused) == bpc.balanceOf(protection_centre) == 0
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseDismissed) == [
        infringements.CaseDismissed(
            case=filed_case, resolver=sender.address, bond_to=fund.address, bond=BOND
        )
    ]


def test_dismiss__policy_to_the_accused_and_one_named__sends_the_bond_to_the_accused(
    infringements: Any,
    bpc: Any,
    fund: Any,
    pool_council: Any,
    regulator: Any,
    accused: Any,
    filed_case: int,
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(filed_case, accused, sender=regulator)

    assert bpc.balanceOf(accused) == BOND
    assert bpc.balanceOf(fund) == fund_before
    assert tx.events.filter(infringements.CaseDismissed)[0].bond_to == accused.address


def test_dismiss__policy_to_the_accused_but_none_named__sends_the_bond_to_the_fund(
    infringements: Any, bpc: Any, fund: Any, pool_council: Any, regulator: Any, filed_case: int
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(filed_case, ZERO, sender=regulator)

    assert bpc.balanceOf(fund) - fund_before == BOND
    assert tx.events.filter(infringements.CaseDismissed)[0].bond_to == fund.address


def test_dismiss__policy_changed_after_filing__the_policy_at_dismissal_applies(
    infringements: Any, bpc: Any, pool_council: Any, regulator: Any, accused: Any, filed_case: int
) -> None:
    infringements.set_bond(0, True, sender=pool_council)

    infringements.dismiss(filed_case, accused, sender=regulator)

    assert bpc.balanceOf(accused) == BOND  # the bond the case posted, not the new bond


@pytest.mark.parametrize(
    "caller", ["attacker", "protection_centre", "provider", "centre", "outsider"]
)
def test_dismiss__by_anyone_but_a_regulator_or_the_council__reverts(
    infringements: Any, actors_by_role: dict[str, Any], filed_case: int, caller: str
) -> None:
    with ape.reverts(NOT_RESOLVER):
        infringements.dismiss(filed_case, ZERO, sender=actors_by_role[caller])


def test_dismiss__regulator_suspended__reverts(
    infringements: Any, pool_alliance: Any, pool_council: Any, regulator: Any, filed_case: int
) -> None:
    pool_alliance.suspend(regulator, sender=pool_council)

    with ape.reverts(NOT_RESOLVER):
        infringements.dismiss(filed_case, ZERO, sender=regulator)


@pytest.mark.parametrize("state", ["unknown", "declined", "withdrawn", "dismissed"])
def test_dismiss__case_not_open__reverts(
    infringements: Any,
    provider: Any,
    protection_centre: Any,
    regulator: Any,
    filed_case: int,
    state: str,
) -> None:
    case = 99 if state == "unknown" else filed_case
    if state == "declined":
        infringements.decline(case, sender=provider)
    elif state == "withdrawn":
        infringements.withdraw(case, sender=protection_centre)
    elif state == "dismissed":
        infringements.dismiss(case, ZERO, sender=regulator)

    with ape.reverts(NOT_OPEN):
        infringements.dismiss(case, ZERO, sender=regulator)


def test_dismiss__settled_case__reverts(
    infringements: Any, regulator: Any, offered_case: int
) -> None:
    infringements.settle(
        offered_case, infringements.cases(offered_case).settlement, sender=regulator
    )

    with ape.reverts(NOT_OPEN):
        infringements.dismiss(offered_case, ZERO, sender=regulator)


@pytest.mark.parametrize("to_accused", [True, False], ids=["to the accused", "to the fund"])
def test_dismiss__accused_named_is_the_register_itself__reverts(
    infringements: Any,
    pool_council: Any,
    regulator: Any,
    filed_case: int,
    to_accused: bool,
) -> None:
    infringements.set_bond(BOND, to_accused, sender=pool_council)

    with ape.reverts(REGISTER_AS_ACCUSED):
        infringements.dismiss(filed_case, infringements, sender=regulator)


@pytest.mark.parametrize("policy_to_accused", [False, True], ids=["to the fund", "to the accused"])
def test_dismiss__offer_pending__refunds_the_offerer_and_sends_the_bond_by_the_policy(
    infringements: Any,
    bpc: Any,
    fund: Any,
    pool_council: Any,
    regulator: Any,
    accused: Any,
    insurer: Any,
    authorised_case: int,
    offer: Callable[..., Any],
    policy_to_accused: bool,
) -> None:
    infringements.set_bond(BOND, policy_to_accused, sender=pool_council)
    offer(authorised_case, SETTLEMENT, insurer)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(authorised_case, accused, sender=regulator)

    bond_to = accused if policy_to_accused else fund
    record = infringements.cases(authorised_case)
    assert (record.status, record.settlement, record.offerer) == (
        CaseStatus.DISMISSED, 0, ZERO
    )  # fmt: skip
    assert bpc.balanceOf(insurer) == SETTLEMENT  # the offer went back to whoever made it
    assert bpc.balanceOf(bond_to) - (0 if policy_to_accused else fund_before) == BOND
    assert infringements.offers_held() == infringements.bonds_held() == 0
    assert bpc.balanceOf(infringements) == 0
    assert infringements.settlements_paid() == 0
    register = infringements.address
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=register, receiver=insurer.address, value=SETTLEMENT),
        bpc.Transfer(sender=register, receiver=bond_to.address, value=BOND),
    ]
    assert tx.events.filter(infringements.CaseDismissed) == [
        infringements.CaseDismissed(
            case=authorised_case, resolver=regulator.address, bond_to=bond_to.address, bond=BOND
        )
    ]
