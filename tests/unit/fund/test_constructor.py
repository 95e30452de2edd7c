"""Fund.__init__: a treasury owned by the council."""

from typing import Any

import ape

ZERO = "0x" + "00" * 20


def test_constructor__council__owns_the_fund(project: Any, deployer: Any, pool_council: Any):
    fund = project.Fund.deploy(pool_council, sender=deployer)

    assert fund.owner() == pool_council.address


def test_constructor__zero_council__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts("fund: council is the zero address"):
        project.Fund.deploy(ZERO, sender=deployer)


def test_constructor__renounce__not_exported(fund: Any) -> None:
    names = {abi.name for abi in fund.contract_type.abi if abi.type == "function"}

    assert "renounce_ownership" not in names
