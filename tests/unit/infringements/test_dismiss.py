"""Infringements.dismiss: a regulator or the council, not a party to the case, dismisses an
open case (filed or authorised); its bond goes to the fund, or to the case's named accused
when the council's policy says so. The resolver names no payee. Standing offers stay for
their offerers to take back."""

from collections.abc import Callable
from functools import partial
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus, Role
from tests.infringements_reasons import NOT_RESOLVER, PARTY_RESOLVES
from tests.unit.infringements.helpers import BOND, FILED_KEY, SETTLEMENT, call_on_case, offer_of
from tests.unit.ownership import assert_follows_the_owner


@pytest.mark.parametrize("stage", ["filed", "authorised"])
@pytest.mark.parametrize("resolver", ["regulator", "pool_council"])
def test_dismiss__open_case__closes_and_sends_the_bond_to_the_fund(
    infringements: Any,
    bpc: Any,
    fund: Any,
    actors_by_role: dict[str, Any],
    protection_centre: Any,
    case_in: Callable[[str], int],
    stage: str,
    resolver: str,
) -> None:
    sender = actors_by_role[resolver]
    case = case_in(stage)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(case, sender=sender)

    record = infringements.cases(case)
    assert (record.status, record.closed_at, record.settlement) == (
        CaseStatus.DISMISSED, tx.timestamp, 0
    )  # fmt: skip
    assert infringements.open_case(FILED_KEY) == 0
    assert bpc.balanceOf(fund) - fund_before == BOND  # the centre loses its bond
    assert bpc.balanceOf(protection_centre) == 0
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseDismissed) == [
        infringements.CaseDismissed(
            case=case, resolver=sender.address, bond_to=fund.address, bond=BOND
        )
    ]


@pytest.mark.parametrize(
    ("close", "closer"), [("dismiss", "regulator"), ("withdraw", "protection_centre")]
)
@pytest.mark.parametrize("named", ["at filing", "by its claim"])
def test_dismiss_or_withdraw__policy_to_the_accused_and_one_named__sends_the_bond_to_it(
    infringements: Any,
    bpc: Any,
    fund: Any,
    pool_council: Any,
    actors_by_role: dict[str, Any],
    vetted_accused: Any,
    file_case: Callable[..., int],
    close: str,
    closer: str,
    named: str,
) -> None:
    # withdrawing concedes the case: the bond goes where a dismissal would send it
    infringements.set_bond(BOND, True, sender=pool_council)
    if named == "at filing":
        case = file_case(accused=vetted_accused)
    else:
        case = file_case()
        infringements.claim_accused(case, sender=vetted_accused)
    fund_before = bpc.balanceOf(fund)

    tx = call_on_case(infringements, close, case, actors_by_role[closer])

    assert bpc.balanceOf(vetted_accused) == BOND
    assert bpc.balanceOf(fund) == fund_before
    assert bpc.balanceOf(actors_by_role["protection_centre"]) == 0
    closed = infringements.CaseDismissed if close == "dismiss" else infringements.CaseWithdrawn
    assert tx.events.filter(closed)[0].bond_to == vetted_accused.address


def test_dismiss__policy_to_the_accused_but_none_named__sends_the_bond_to_the_fund(
    infringements: Any, bpc: Any, fund: Any, pool_council: Any, regulator: Any, filed_case: int
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)
    fund_before = bpc.balanceOf(fund)

    tx = infringements.dismiss(filed_case, sender=regulator)

    assert bpc.balanceOf(fund) - fund_before == BOND
    assert tx.events.filter(infringements.CaseDismissed)[0].bond_to == fund.address


def test_dismiss__policy_changed_after_filing__the_policy_at_dismissal_applies(
    infringements: Any,
    bpc: Any,
    pool_council: Any,
    regulator: Any,
    vetted_accused: Any,
    file_case: Callable[..., int],
) -> None:
    case = file_case(accused=vetted_accused)
    infringements.set_bond(0, True, sender=pool_council)

    infringements.dismiss(case, sender=regulator)

    assert bpc.balanceOf(vetted_accused) == BOND  # the bond the case posted, not the new bond


def test_dismiss__regulator_is_the_named_accused__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    vetted_accused: Any,
    filed_case: int,
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)
    pool_alliance.grant_role(vetted_accused, int(Role.REGULATOR), sender=pool_council)
    infringements.claim_accused(filed_case, sender=vetted_accused)

    with ape.reverts(PARTY_RESOLVES):
        infringements.dismiss(filed_case, sender=vetted_accused)


def test_dismiss__offers_standing__they_stay_for_their_offerers(
    infringements: Any,
    bpc: Any,
    fund: Any,
    regulator: Any,
    accused: Any,
    insurer: Any,
    authorised_case: int,
    offer: Callable[..., int],
) -> None:
    first = offer(authorised_case, SETTLEMENT, accused)
    second = offer(authorised_case, 2 * SETTLEMENT, insurer)

    tx = infringements.dismiss(authorised_case, sender=regulator)

    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=infringements.address, receiver=fund.address, value=BOND)
    ]
    assert offer_of(infringements, first) == (authorised_case, accused.address, SETTLEMENT)
    assert offer_of(infringements, second) == (authorised_case, insurer.address, 2 * SETTLEMENT)
    assert infringements.offers_held() == bpc.balanceOf(infringements) == 3 * SETTLEMENT
    assert infringements.bonds_held() == infringements.settlements_paid() == 0


def test_dismiss__register_handed_over__the_successor_resolves_not_the_old_council(
    infringements: Any, pool_council: Any, council_seats: list[Any], filed_case: int
) -> None:
    dismiss = partial(infringements.dismiss, filed_case)

    assert_follows_the_owner(infringements, dismiss, pool_council, council_seats[1], NOT_RESOLVER)
