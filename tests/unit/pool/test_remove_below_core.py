"""PatentPool.remove_below_core: anyone removes a pooled patent under a raised core threshold."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal
from tests.fixtures.pool import PARAMS
from tests.unit.pool.helpers import NOT_POOLED, AssertLeft

NOT_UNDER = "pool: rating is not under the core threshold"


def set_core(pool: Any, council: Any, core: int) -> None:
    pool.set_parameters(PARAMS.expert_threshold, core, PARAMS.rerate_interval, sender=council)


def test_remove_below_core__score_under_a_raised_core__anyone_removes_it(
    patent_pool: Any,
    royalties: Any,
    pool_council: Any,
    attacker: Any,
    pooled: bytes,
    assert_left_the_pool: AssertLeft,
) -> None:
    set_core(patent_pool, pool_council, 81)  # the provider's patent is rated 80

    tx = patent_pool.remove_below_core(pooled, sender=attacker)

    assert_left_the_pool(
        tx, PatentStatus.REMOVED, patent_pool.Removed, reason=int(Removal.BELOW_CORE)
    )
    assert royalties.total_contributor_weight() == 70  # the other patent's


@pytest.mark.parametrize("core", [80, None], ids=["equal_to_the_score", "unchanged"])
def test_remove_below_core__score_not_under_the_core__reverts(
    patent_pool: Any, pool_council: Any, attacker: Any, pooled: bytes, core: int | None
) -> None:
    if core is not None:
        set_core(patent_pool, pool_council, core)

    with ape.reverts(NOT_UNDER):
        patent_pool.remove_below_core(pooled, sender=attacker)


@pytest.fixture(params=["unknown", "rated", "removed"])
def not_pooled(request: pytest.FixtureRequest, patent_pool: Any, pool_council: Any) -> bytes:
    if request.param == "unknown":
        return certs.patent_id("US", "999")
    patent: bytes = request.getfixturevalue(request.param if request.param == "rated" else "pooled")
    if request.param == "removed":
        patent_pool.remove(patent, int(Removal.SOLD), sender=pool_council)
    return patent


def test_remove_below_core__patent_not_pooled__reverts(
    patent_pool: Any, pool_council: Any, attacker: Any, not_pooled: bytes
) -> None:
    set_core(patent_pool, pool_council, 100)  # every rating of these patents is under it

    with ape.reverts(NOT_POOLED):
        patent_pool.remove_below_core(not_pooled, sender=attacker)
