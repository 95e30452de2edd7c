"""Issue 15, review of Infringements (new finding): a centre dodges every dismissal by
withdrawing first.

A withdrawal returned the bond, so a centre that saw a dismissal coming (a regulator's
transaction, a council proposal in its voting period) withdrew and got its bond back:
filing a baseless case, again and again, cost nothing, and the bond meant for the accused
(or the fund) never reached it. Withdrawing a case that still stands now concedes it: the
bond goes where a dismissal would send it. It returns only if the case lost its ground.
"""

from collections.abc import Callable
from typing import Any

from tests.unit.infringements.helpers import BOND


def test_withdraw__centre_withdraws_as_the_dismissal_comes__the_bond_goes_to_the_accused(
    infringements: Any,
    bpc: Any,
    pool_council: Any,
    protection_centre: Any,
    provider: Any,
    vetted_accused: Any,
    file_case: Callable[..., int],
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)  # dismissed bonds to the accused
    case = file_case(accused=vetted_accused)
    infringements.authorise(case, sender=provider)

    infringements.withdraw(case, sender=protection_centre)  # ahead of the regulator

    assert bpc.balanceOf(protection_centre) == 0
    assert bpc.balanceOf(vetted_accused) == BOND


def test_withdraw__baseless_cases_filed_and_withdrawn_in_a_loop__each_costs_a_bond(
    infringements: Any,
    bpc: Any,
    fund: Any,
    protection_centre: Any,
    file_case: Callable[..., int],
) -> None:
    fund_before = bpc.balanceOf(fund)

    for _ in range(3):
        infringements.withdraw(file_case(), sender=protection_centre)

    assert bpc.balanceOf(protection_centre) == 0
    assert bpc.balanceOf(fund) - fund_before == 3 * BOND
