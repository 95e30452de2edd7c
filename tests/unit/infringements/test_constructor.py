"""Infringements.__init__ (its wiring and owner: tests/unit/test_wiring.py): Royalties may
pull settlements from it, and the first bond is published and bounded."""

from typing import Any

import ape
import pytest

from bpsa.core.errors import InputError
from bpsa.sdk.deploy import InfringementParams, deploy_infringements
from tests.infringements_reasons import BOND_ABOVE
from tests.unit.infringements.helpers import (
    BOND,
    BOND_MAX,
    MAX_UINT256,
    ZERO,
    deploy_infringements_raw,
)


def test_constructor__session_deployment__bond_published_and_nothing_held(
    infringements: Any,
) -> None:
    """Its wiring and owner: tests/unit/test_wiring.py."""
    assert (infringements.bond(), infringements.dismissed_bond_to_accused()) == (BOND, False)
    counters = (
        infringements.case_count(),
        infringements.bonds_held(),
        infringements.offers_held(),
        infringements.settlements_paid(),
    )
    assert counters == (0, 0, 0, 0)


def test_constructor__royalties__may_pull_any_settlement_from_it(
    infringements: Any, bpc: Any, royalties: Any
) -> None:
    assert bpc.allowance(infringements, royalties) == MAX_UINT256


def test_constructor__a_bond_and_policy__reads_back_and_logs_them(
    chain: Any, project: Any, deployer: Any, collection_addresses: dict[str, Any], pool_council: Any
) -> None:
    register = deploy_infringements_raw(
        project, deployer, collection_addresses, bond=7, dismissed_bond_to_accused=True
    )

    assert (register.bond(), register.dismissed_bond_to_accused()) == (7, True)
    assert register.owner() == pool_council.address
    events = chain.get_receipt(register.txn_hash).events
    assert events.filter(register.BondSet) == [
        register.BondSet(bond=7, dismissed_bond_to_accused=True)
    ]
    assert events.filter(register.OwnershipTransferred)[-1].new_owner == pool_council.address


@pytest.mark.parametrize("bond", [0, BOND_MAX], ids=["zero", "cap"])
def test_constructor__bond_zero_or_at_the_cap__accepted(
    project: Any, deployer: Any, collection_addresses: dict[str, Any], bond: int
) -> None:
    register = deploy_infringements_raw(project, deployer, collection_addresses, bond=bond)

    assert register.bond() == bond


def test_constructor__bond_above_the_cap__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any]
) -> None:
    with ape.reverts(BOND_ABOVE):
        deploy_infringements_raw(project, deployer, collection_addresses, bond=BOND_MAX + 1)


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ("council", "infringements: council is the zero address"),
        ("fund", "infringements: fund is the zero address"),
    ],
)
def test_constructor__zero_council_or_fund__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any], argument: str, reason: str
) -> None:
    with ape.reverts(reason):
        deploy_infringements_raw(project, deployer, collection_addresses, **{argument: ZERO})


def test_deploy_infringements__bond_above_the_cap__refused_before_deploying(
    project: Any,
    deployer: Any,
    pool_alliance: Any,
    pool_contracts: dict[str, Any],
    pool_council: Any,
) -> None:
    nonce = deployer.nonce

    with pytest.raises(InputError, match="the bond must be 0 to 10"):
        deploy_infringements(
            project,
            deployer,
            pool_alliance.address,
            pool_contracts,
            pool_council.address,
            InfringementParams(bond=BOND_MAX + 1),
        )

    assert deployer.nonce == nonce
