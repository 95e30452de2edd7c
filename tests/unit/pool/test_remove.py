"""PatentPool.remove: the council takes a patent out of the registry (and out of the pool)."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal
from tests.unit.pool.helpers import (
    NOT_IN_REGISTRY,
    NOT_OWNER,
    AssertLeft,
    assert_pool_untouched,
)


@pytest.mark.parametrize("reason", list(Removal))
def test_remove__pooled_patent__leaves_the_pool_lowers_nav_and_burns_nothing(
    patent_pool: Any,
    royalties: Any,
    pool_council: Any,
    provider2: Any,
    centre: Any,
    pooled: bytes,
    reason: Removal,
    assert_left_the_pool: AssertLeft,
) -> None:
    tx = patent_pool.remove(pooled, int(reason), sender=pool_council)

    assert_left_the_pool(tx, PatentStatus.REMOVED, patent_pool.Removed, reason=int(reason))
    assert royalties.centre_weight(centre) == 0
    assert royalties.contributor_weight(provider2) == 70  # the other patent keeps its weight


@pytest.mark.parametrize("patent_at", ["submitted", "certified", "rated"], indirect=True)
def test_remove__patent_not_yet_pooled__rejects_it_without_touching_the_pool(
    patent_pool: Any,
    royalties: Any,
    pool_council: Any,
    patent_at: bytes,
) -> None:
    tx = patent_pool.remove(patent_at, int(Removal.REJECTED), sender=pool_council)

    assert patent_pool.patents(patent_at).status == PatentStatus.REMOVED
    assert_pool_untouched(patent_pool, royalties, tx)
    assert len(tx.events.filter(patent_pool.Removed)) == 1


@pytest.mark.parametrize("caller", ["provider", "attacker"], indirect=True)
def test_remove__not_the_council__reverts(patent_pool: Any, pooled: bytes, caller: Any) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.remove(pooled, int(Removal.SOLD), sender=caller)


@pytest.mark.parametrize("reason", [0, 5])
def test_remove__unknown_reason__reverts(
    patent_pool: Any, pool_council: Any, pooled: bytes, reason: int
) -> None:
    with ape.reverts("pool: unknown removal reason"):
        patent_pool.remove(pooled, reason, sender=pool_council)


@pytest.fixture(params=["unknown", "withdrawn", "removed"])
def outside_registry(
    request: pytest.FixtureRequest, patent_pool: Any, provider: Any, pool_council: Any
) -> bytes:
    if request.param == "unknown":
        return certs.patent_id("US", "999")
    patent: bytes = request.getfixturevalue("submitted")
    if request.param == "withdrawn":
        patent_pool.withdraw(patent, sender=provider)
    else:
        patent_pool.remove(patent, int(Removal.REJECTED), sender=pool_council)
    return patent


def test_remove__patent_not_in_the_registry__reverts(
    patent_pool: Any, pool_council: Any, outside_registry: bytes
) -> None:
    with ape.reverts(NOT_IN_REGISTRY):
        patent_pool.remove(outside_registry, int(Removal.REJECTED), sender=pool_council)


def test_remove__expired_patent__reverts(
    chain: Any, patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    chain.pending_timestamp += 600 * 24 * 3600  # past the expiry and its grace period
    patent_pool.expire(pooled, sender=pool_council)

    with ape.reverts(NOT_IN_REGISTRY):
        patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)
