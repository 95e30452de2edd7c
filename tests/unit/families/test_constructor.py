"""Families.__init__: the session's Families reads the session's pool (and its fund)."""

from typing import Any

import ape

from tests.unit.families.helpers import NO_FAMILY

ZERO = "0x" + "00" * 20


def test_constructor__session__wired_to_the_pool(
    families: Any, patent_pool: Any, fund: Any
) -> None:
    assert families.POOL() == patent_pool.address
    assert families.FUND() == fund.address


def test_constructor__zero_pool__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts("families: pool is the zero address"):
        project.Families.deploy(ZERO, sender=deployer)


def test_family_of__never_set__zero(families: Any, submitted: bytes) -> None:
    assert bytes(families.family_of(submitted)) == NO_FAMILY
