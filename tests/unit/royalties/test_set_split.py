"""Royalties.set_split: the council sets the three shares of later fees; they add up to
10,000 basis points."""

from typing import Any

import ape
import pytest

from tests.unit.royalties.conftest import FeePayer, Shares
from tests.unit.royalties.helpers import BPC

SPLIT_REASON = "royalties: shares must add up to 10,000 basis points"


def test_set_split__council__sets_the_shares_and_logs(royalties: Any, pool_council: Any) -> None:
    tx = royalties.set_split(6_000, 1_500, 2_500, sender=pool_council)

    assert royalties.contributor_bps() == 6_000
    assert royalties.centre_bps() == 1_500
    assert royalties.fund_bps() == 2_500
    assert tx.events == [
        royalties.SplitSet(contributor_bps=6_000, centre_bps=1_500, fund_bps=2_500)
    ]


@pytest.mark.parametrize(
    ("split", "expected"),
    [
        pytest.param((6_000, 1_500, 2_500), (60 * BPC, 15 * BPC, 25 * BPC), id="60-15-25"),
        pytest.param((0, 0, 10_000), (0, 0, 100 * BPC), id="all to the fund"),
    ],
)
def test_set_split__council__later_fees_split_the_new_way(
    royalties: Any,
    licensee_pays: FeePayer,
    shares: Shares,
    pool_council: Any,
    pooled: bytes,
    split: tuple[int, int, int],
    expected: tuple[int, int, int],
) -> None:
    royalties.set_split(*split, sender=pool_council)

    licensee_pays(100 * BPC)

    assert shares() == expected


@pytest.fixture(params=["attacker", "provider"])
def not_the_council(request: pytest.FixtureRequest) -> Any:
    """An outsider, then a pool member."""
    return request.getfixturevalue(request.param)


def test_set_split__by_anyone_but_the_council__reverts(
    royalties: Any, not_the_council: Any
) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        royalties.set_split(10_000, 0, 0, sender=not_the_council)
    assert royalties.contributor_bps() == 7_000


@pytest.mark.parametrize(
    "fund_bps", [pytest.param(1_999, id="below"), pytest.param(2_001, id="above")]
)
def test_set_split__sum_not_10000__reverts(
    royalties: Any, pool_council: Any, fund_bps: int
) -> None:
    with ape.reverts(SPLIT_REASON):
        royalties.set_split(7_000, 1_000, fund_bps, sender=pool_council)


def test_set_split__sum_overflows__reverts(royalties: Any, pool_council: Any) -> None:
    # 2^256 - 1 + 1 wraps to 0 in unchecked arithmetic, and 0 + 10,000 would pass.
    with ape.reverts():
        royalties.set_split(2**256 - 1, 1, 10_000, sender=pool_council)
    assert royalties.contributor_bps() == 7_000
