"""Issue 15, finding 9: the resolver takes a dismissed bond.

`dismiss(case, accused)` let the regulator name the payee of a dismissed bond (itself).
The accused is now fixed by the record: named by the centre at filing or claimed by the
accused, and only a vetted member whose identity record is the infringer's digest; the
resolver names nobody, and a party to the case cannot resolve it.
"""

from collections.abc import Callable
from typing import Any

import ape

from bpsa.core.codes import Kind, Role
from tests.fixtures.suite import application
from tests.infringements_reasons import NOT_VETTED, PARTY_RESOLVES
from tests.unit.infringements.helpers import BOND, INFRINGER


def test_dismiss__regulator_would_name_itself_the_payee__the_bond_goes_to_the_fund(
    infringements: Any, bpc: Any, fund: Any, pool_council: Any, regulator: Any, filed_case: int
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)  # dismissed bonds to the accused
    before, fund_before = bpc.balanceOf(regulator), bpc.balanceOf(fund)

    infringements.dismiss(filed_case, sender=regulator)  # no payee to name

    assert bpc.balanceOf(regulator) == before
    assert bpc.balanceOf(fund) - fund_before == BOND  # no accused named: to the fund


def test_claim_accused__regulator_claims_a_case_it_would_dismiss__refused(
    infringements: Any,
    pool_council: Any,
    regulator: Any,
    filed_case: int,
) -> None:
    infringements.set_bond(BOND, True, sender=pool_council)

    with ape.reverts(NOT_VETTED):  # its identity record is not the infringer's
        infringements.claim_accused(filed_case, sender=regulator)


def test_dismiss__accomplice_regulator_with_the_infringers_identity__cannot_resolve(
    infringements: Any,
    bpc: Any,
    pool_alliance: Any,
    pool_council: Any,
    accomplice: Any,
    file_case: Callable[..., int],
) -> None:
    """Even a regulator the council vetted with the infringer's identity, named as the
    accused, may not dismiss its own case and take the bond."""
    infringements.set_bond(BOND, True, sender=pool_council)
    pool_alliance.apply(int(Kind.NON_PROFIT), INFRINGER, sender=accomplice)
    pool_alliance.admit(*application(pool_alliance, accomplice), sender=pool_council)
    pool_alliance.grant_role(accomplice, int(Role.REGULATOR), sender=pool_council)
    case = file_case(accused=accomplice)

    with ape.reverts(PARTY_RESOLVES):
        infringements.dismiss(case, sender=accomplice)

    assert bpc.balanceOf(accomplice) == 0
