"""Licensing.set_tier: the council publishes the BPC a member kind locks for one BPR."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import ENTERPRISE_SHARE_BPS
from tests.unit.licensing.helpers import (
    ENTERPRISE_PRICE,
    ONE,
    TIER_MAX,
    UNKNOWN_KIND,
    kind_id,
)


@pytest.mark.parametrize("kind", list(Kind), ids=kind_id)
def test_set_tier__each_kind__records_logs_and_prices_its_members(
    licensing: Any, pool_council: Any, members_by_kind: dict[Kind, Any], kind: Kind
) -> None:
    tx = licensing.set_tier(int(kind), 7 * ONE, sender=pool_council)

    assert licensing.tier_price(int(kind)) == 7 * ONE
    assert tx.events.filter(licensing.TierSet) == [licensing.TierSet(kind=int(kind), price=7 * ONE)]
    share = ENTERPRISE_SHARE_BPS * LICENSING.large_enterprise_per_bps
    expected = 7 * ONE + (share if kind == Kind.LARGE_ENTERPRISE else 0)
    assert licensing.price_of(members_by_kind[kind]) == expected


def test_set_tier__one_kind__leaves_the_others(
    licensing: Any, pool_council: Any, provider2: Any, enterprise: Any
) -> None:
    licensing.set_tier(int(Kind.START_UP), 7 * ONE, sender=pool_council)

    assert licensing.tier_price(int(Kind.SME)) == LICENSING.sme
    assert licensing.price_of(provider2) == LICENSING.sme
    assert licensing.price_of(enterprise) == ENTERPRISE_PRICE


def test_set_tier__at_the_cap__accepted(licensing: Any, pool_council: Any, provider: Any) -> None:
    licensing.set_tier(int(Kind.START_UP), TIER_MAX, sender=pool_council)

    assert licensing.price_of(provider) == TIER_MAX


def test_set_tier__zero__closes_the_kind(licensing: Any, pool_council: Any, provider: Any) -> None:
    tx = licensing.set_tier(int(Kind.START_UP), 0, sender=pool_council)

    assert licensing.price_of(provider) == 0
    assert tx.events.filter(licensing.TierSet) == [
        licensing.TierSet(kind=int(Kind.START_UP), price=0)
    ]


@pytest.mark.parametrize("kind", [0, 6, 255])
def test_set_tier__unknown_kind__reverts(licensing: Any, pool_council: Any, kind: int) -> None:
    with ape.reverts(UNKNOWN_KIND):
        licensing.set_tier(kind, ONE, sender=pool_council)

    assert licensing.tier_price(int(Kind.START_UP)) == LICENSING.start_up
