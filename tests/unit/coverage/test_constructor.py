"""Coverage.__init__: the empty log of one pool's pooled set."""

from typing import Any

import ape

from bpsa.core.coverage import CoverageLog
from tests.unit.coverage.helpers import POOL_ZERO

ZERO = "0x" + "00" * 20


def test_constructor__a_pool__names_it_and_starts_empty(stand_in: Any, pool_stand_in: Any) -> None:
    assert stand_in.POOL() == pool_stand_in.address
    assert stand_in.size() == 0
    # the empty tree's root, as the Python mirror computes it
    assert stand_in.root() == stand_in.root_at(0) == CoverageLog().root_at(0)


def test_constructor__zero_pool__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts(POOL_ZERO):
        project.Coverage.deploy(ZERO, sender=deployer)
