"""BPR's ERC-20 views: a wallet reads one indivisible, unapprovable licence."""

from typing import Any

from tests.fixtures.licensing import LICENSING


def test_metadata__session_token__blockchain_patent_right_with_no_decimals(bpr: Any) -> None:
    assert bpr.name() == "Blockchain Patent Right"
    assert bpr.symbol() == "BPR"
    assert bpr.decimals() == 0


def test_licensing__session_token__is_the_session_licensing(bpr: Any, licensing: Any) -> None:
    assert bpr.LICENSING() == licensing.address


def test_supply__before_any_conversion__is_zero(bpr: Any, provider: Any) -> None:
    assert bpr.totalSupply() == 0
    assert bpr.balanceOf(provider) == 0


def test_balance_and_supply__after_conversions_a_grant_and_a_release__count_one_per_holder(
    chain: Any,
    bpr: Any,
    bpc: Any,
    licensing: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    outsider: Any,
    fund_bpc: Any,
) -> None:
    for member, price in ((provider, LICENSING.start_up), (provider2, LICENSING.sme)):
        fund_bpc(member, price)
        bpc.approve(licensing, price, sender=member)
        licensing.convert(sender=member)
    licensing.grant(centre, sender=pool_council)

    assert [bpr.balanceOf(m) for m in (provider, provider2, centre, outsider)] == [1, 1, 1, 0]
    assert bpr.totalSupply() == 3

    chain.pending_timestamp += LICENSING.min_term
    licensing.release(sender=provider)

    assert [bpr.balanceOf(m) for m in (provider, provider2, centre)] == [0, 1, 1]
    assert bpr.totalSupply() == 2


def test_allowance__any_pair_even_holder_to_licensing__is_zero(
    bpr: Any, licensing: Any, bpr_holder: Any, attacker: Any
) -> None:
    assert bpr.allowance(bpr_holder, licensing) == 0
    assert bpr.allowance(bpr_holder, attacker) == 0
    assert bpr.allowance(bpr_holder, bpr_holder) == 0
    assert bpr.allowance(attacker, bpr_holder) == 0
