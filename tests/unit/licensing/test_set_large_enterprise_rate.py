"""Licensing.set_large_enterprise_rate: the council sets what a basis point of market
share adds to a large enterprise's price."""

from typing import Any

from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import ENTERPRISE_SHARE_BPS
from tests.unit.licensing.helpers import ONE, RATE_MAX, TIER_MAX


def test_set_large_enterprise_rate__by_the_council__records_logs_and_reprices(
    licensing: Any, pool_council: Any, enterprise: Any, provider2: Any
) -> None:
    tx = licensing.set_large_enterprise_rate(ONE, sender=pool_council)

    assert licensing.large_enterprise_price_per_bps() == ONE
    assert tx.events.filter(licensing.LargeEnterpriseRateSet) == [
        licensing.LargeEnterpriseRateSet(price_per_bps=ONE)
    ]
    assert licensing.price_of(enterprise) == LICENSING.large_enterprise + ENTERPRISE_SHARE_BPS * ONE
    assert licensing.price_of(provider2) == LICENSING.sme  # other kinds have no share term


def test_set_large_enterprise_rate__zero__prices_the_tier_alone(
    licensing: Any, pool_council: Any, enterprise: Any
) -> None:
    licensing.set_large_enterprise_rate(0, sender=pool_council)

    assert licensing.price_of(enterprise) == LICENSING.large_enterprise


def test_set_large_enterprise_rate__at_the_cap_with_a_capped_tier_and_a_whole_market__no_overflow(
    licensing: Any, pool_alliance: Any, pool_council: Any, enterprise: Any
) -> None:
    licensing.set_tier(4, TIER_MAX, sender=pool_council)
    pool_alliance.set_market_share(enterprise, 10_000, sender=pool_council)

    licensing.set_large_enterprise_rate(RATE_MAX, sender=pool_council)

    assert licensing.price_of(enterprise) == 2 * TIER_MAX
