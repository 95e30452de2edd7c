"""Infringements.set_bond: the council sets the bond of new cases and where a dismissed
case's bond goes; open cases keep the bond they posted."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.infringements_reasons import BOND_ABOVE, NOT_OWNER
from tests.unit.infringements.helpers import BOND, BOND_MAX, OTHER_PRODUCT


def test_set_bond__by_the_council__reads_back_and_logs(
    infringements: Any, pool_council: Any
) -> None:
    tx = infringements.set_bond(80 * 10**18, True, sender=pool_council)

    assert infringements.bond() == 80 * 10**18
    assert infringements.dismissed_bond_to_accused()
    assert tx.events.filter(infringements.BondSet) == [
        infringements.BondSet(bond=80 * 10**18, dismissed_bond_to_accused=True)
    ]


@pytest.mark.parametrize("bond", [0, BOND_MAX], ids=["zero", "cap"])
def test_set_bond__zero_or_at_the_cap__accepted(
    infringements: Any, pool_council: Any, bond: int
) -> None:
    infringements.set_bond(bond, False, sender=pool_council)

    assert infringements.bond() == bond


def test_set_bond__above_the_cap__reverts(infringements: Any, pool_council: Any) -> None:
    with ape.reverts(BOND_ABOVE):
        infringements.set_bond(BOND_MAX + 1, False, sender=pool_council)


@pytest.mark.parametrize("caller", ["attacker", "regulator", "protection_centre", "provider"])
def test_set_bond__by_anyone_but_the_council__reverts(
    actors_by_role: dict[str, Any], infringements: Any, caller: str
) -> None:
    with ape.reverts(NOT_OWNER):
        infringements.set_bond(0, True, sender=actors_by_role[caller])


def test_set_bond__with_a_case_open__the_case_keeps_its_bond_and_new_ones_post_the_new_bond(
    infringements: Any,
    bpc: Any,
    pool_council: Any,
    provider: Any,
    protection_centre: Any,
    filed_case: int,
    file_case: Callable[..., int],
) -> None:
    infringements.set_bond(80 * 10**18, False, sender=pool_council)
    second = file_case(product=OTHER_PRODUCT)

    assert infringements.cases(filed_case).bond == BOND
    assert infringements.cases(second).bond == 80 * 10**18
    assert infringements.bonds_held() == BOND + 80 * 10**18
    infringements.decline(filed_case, sender=provider)  # the bond returns to the centre
    assert bpc.balanceOf(protection_centre) == BOND
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 80 * 10**18
