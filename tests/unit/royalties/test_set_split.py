"""Royalties.set_split: the council sets the three shares of later fees; they add up to
10,000 basis points."""

from typing import Any

import ape

from tests.unit.royalties.helpers import BPC, pay

SPLIT_REASON = "royalties: shares must add up to 10,000 basis points"


def test_set_split__council__sets_the_shares_and_logs(royalties: Any, pool_council: Any) -> None:
    tx = royalties.set_split(6_000, 1_500, 2_500, sender=pool_council)

    assert royalties.contributor_bps() == 6_000
    assert royalties.centre_bps() == 1_500
    assert royalties.fund_bps() == 2_500
    assert tx.events == [
        royalties.SplitSet(contributor_bps=6_000, centre_bps=1_500, fund_bps=2_500)
    ]


def test_set_split__council__later_fees_split_the_new_way(
    bpc: Any,
    royalties: Any,
    fund: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    licensee: Any,
    pooled: bytes,
) -> None:
    royalties.set_split(6_000, 1_500, 2_500, sender=pool_council)

    pay(bpc, royalties, licensee, 100 * BPC, source=provider)

    assert royalties.claimable(provider) == 60 * BPC
    assert royalties.claimable(centre) == 15 * BPC
    assert bpc.balanceOf(fund) == 25 * BPC


def test_set_split__all_to_the_fund__accepted(
    bpc: Any,
    royalties: Any,
    fund: Any,
    pool_council: Any,
    provider: Any,
    licensee: Any,
    pooled: bytes,
) -> None:
    royalties.set_split(0, 0, 10_000, sender=pool_council)

    pay(bpc, royalties, licensee, 100 * BPC, source=provider)

    assert bpc.balanceOf(fund) == 100 * BPC
    assert royalties.claimable(provider) == 0


def test_set_split__attacker__reverts(royalties: Any, attacker: Any) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        royalties.set_split(10_000, 0, 0, sender=attacker)


def test_set_split__provider__reverts(royalties: Any, provider: Any) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        royalties.set_split(10_000, 0, 0, sender=provider)


def test_set_split__sum_below_10000__reverts(royalties: Any, pool_council: Any) -> None:
    with ape.reverts(SPLIT_REASON):
        royalties.set_split(7_000, 1_000, 1_999, sender=pool_council)


def test_set_split__sum_above_10000__reverts(royalties: Any, pool_council: Any) -> None:
    with ape.reverts(SPLIT_REASON):
        royalties.set_split(7_000, 1_000, 2_001, sender=pool_council)


def test_set_split__sum_overflows__reverts(royalties: Any, pool_council: Any) -> None:
    # 2^256 - 1 + 1 wraps to 0 in unchecked arithmetic, and 0 + 10,000 would pass.
    with ape.reverts():
        royalties.set_split(2**256 - 1, 1, 10_000, sender=pool_council)
    assert royalties.contributor_bps() == 7_000
