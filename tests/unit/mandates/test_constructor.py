"""Mandates.__init__ and PatentPool.set_centre: the session's Mandates is the pool's, and
only it records a centre."""

from typing import Any

import ape

from tests.unit.mandates.helpers import ONLY_MANDATES


def test_constructor__session__wired_to_the_pool(
    mandates: Any, patent_pool: Any, pool_alliance: Any, royalties: Any, fund: Any
) -> None:
    assert patent_pool.MANDATES() == mandates.address
    assert mandates.POOL() == patent_pool.address
    assert mandates.ALLIANCE() == pool_alliance.address
    assert mandates.ROYALTIES() == royalties.address
    assert mandates.FUND() == fund.address


def test_set_centre__not_the_mandates_contract__reverts(
    patent_pool: Any, pool_council: Any, centre: Any, pooled: bytes
) -> None:
    for caller in (pool_council, centre):
        with ape.reverts(ONLY_MANDATES):
            patent_pool.set_centre(pooled, centre, 2**40, 0, sender=caller)
