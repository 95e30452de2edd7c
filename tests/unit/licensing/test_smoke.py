"""A conversion and its release, end to end."""

from typing import Any

from tests.fixtures.licensing import LICENSING


def test_convert_then_release__start_up__locks_its_tier_and_gets_it_back(
    chain: Any, licensing: Any, bpr: Any, bpc: Any, provider: Any, fund_bpc: Any
) -> None:
    fund_bpc(provider, 50 * 10**18)
    bpc.approve(licensing, LICENSING.start_up, sender=provider)
    licensing.convert(sender=provider)
    assert bpr.balanceOf(provider) == 1
    assert bpc.balanceOf(provider) == 30 * 10**18
    chain.pending_timestamp += LICENSING.min_term
    chain.mine()
    licensing.release(sender=provider)
    assert bpr.balanceOf(provider) == 0
    assert bpc.balanceOf(provider) == 50 * 10**18
