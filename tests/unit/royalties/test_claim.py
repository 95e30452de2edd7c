"""Royalties.claim: a contributor or centre takes what its weight earned; a patent that
leaves the pool stops earning and keeps what it earned; re-rating moves the weights.

In these pools `pooled` (80) names the centre and `pooled2` (60) names none, so its
contributor also keeps its centre part: of a 140-BPC fee, 98 go to the contributors (56 and
42) and 14 to the centres' side (8 to the centre, 6 to provider2)."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import CertStatus, Removal
from tests.fixtures.pool import DAY, PARAMS, PoolDriver
from tests.unit.royalties.conftest import PATENT, PATENT2, FeePayer
from tests.unit.royalties.helpers import BPC

PURCHASED = "33456789"  # a patent the fund bought


def test_claim__contributors_rated_80_and_60__shares_proportional_to_score(
    bpc: Any, royalties: Any, licensee_pays: FeePayer, earners: tuple[Any, Any, Any]
) -> None:
    provider, provider2, _ = earners
    licensee_pays(140 * BPC)  # 98 BPC to contributors
    before, before2 = bpc.balanceOf(provider), bpc.balanceOf(provider2)

    tx = royalties.claim(sender=provider)
    tx2 = royalties.claim(sender=provider2)

    assert tx.return_value == 56 * BPC  # 98 x 80 / 140
    assert tx2.return_value == 42 * BPC + 6 * BPC  # 98 x 60 / 140, and 14 x 60 / 140
    assert bpc.balanceOf(provider) == before + 56 * BPC
    assert bpc.balanceOf(provider2) == before2 + 48 * BPC
    assert tx.events.filter(royalties.Claimed) == [
        royalties.Claimed(account=provider.address, amount=56 * BPC)
    ]
    assert royalties.claimed() == 104 * BPC


def test_claim__centre__takes_the_centre_share(
    bpc: Any,
    royalties: Any,
    licensee_pays: FeePayer,
    provider: Any,
    centre: Any,
    pooled: bytes,
) -> None:
    licensee_pays(100 * BPC)

    tx = royalties.claim(sender=centre)

    assert tx.return_value == 10 * BPC
    assert bpc.balanceOf(centre) == 10 * BPC
    assert royalties.claimable(centre) == 0
    assert royalties.claimable(provider) == 70 * BPC  # the contributor's side is untouched


def test_claim__centre_of_two_patents__weight_is_their_sum(
    driver: PoolDriver,
    royalties: Any,
    licensee_pays: FeePayer,
    provider2: Any,
    centre: Any,
    pooled: bytes,
) -> None:
    driver.pooled(provider2, PATENT2, score=60, centre=centre)
    assert royalties.centre_weight(centre) == royalties.total_contributor_weight() == 140

    licensee_pays(140 * BPC)

    assert royalties.claim(sender=centre).return_value == 14 * BPC


def test_claim__nothing_earned__reverts(royalties: Any, licensee: Any, pooled: bytes) -> None:
    with ape.reverts("royalties: nothing to claim"):
        royalties.claim(sender=licensee)


def test_claim__weight_but_no_fee_yet__reverts(
    royalties: Any, provider: Any, pooled: bytes
) -> None:
    with ape.reverts("royalties: nothing to claim"):
        royalties.claim(sender=provider)


@pytest.fixture
def claimed(royalties: Any, licensee_pays: FeePayer, provider: Any, pooled: bytes) -> Any:
    """The provider, having claimed its 70 BPC of a 100-BPC fee."""
    licensee_pays(100 * BPC)
    royalties.claim(sender=provider)
    return provider


def test_claim__twice__second_reverts(royalties: Any, claimed: Any) -> None:
    with ape.reverts("royalties: nothing to claim"):
        royalties.claim(sender=claimed)


def test_claim__again_after_a_new_fee__pays_only_the_new_share(
    royalties: Any, licensee_pays: FeePayer, claimed: Any
) -> None:
    licensee_pays(10 * BPC)

    assert royalties.claim(sender=claimed).return_value == 7 * BPC


@pytest.mark.parametrize("left", ["removed", "expired"])
def test_claim__patent_removed_or_expired__keeps_what_it_earned_and_stops_accruing(
    driver: PoolDriver,
    royalties: Any,
    licensee_pays: FeePayer,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    outsider: Any,
    pooled: bytes,
    pooled2: bytes,
    left: str,
) -> None:
    licensee_pays(140 * BPC)
    if left == "removed":
        patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)
    else:  # the oracles attest that the provider's patent lapsed; anyone may then expire it
        lapsed = driver.certificate("US", PATENT, provider, status=CertStatus.LAPSED)
        driver.attest(lapsed, provider)
        patent_pool.expire(pooled, sender=outsider)
    licensee_pays(120 * BPC)  # 84 + 12 BPC, all to weight 60

    assert royalties.claim(sender=provider).return_value == 56 * BPC
    assert royalties.claim(sender=provider2).return_value == 48 * BPC + 96 * BPC


def test_claim__after_re_rating__later_fees_follow_the_new_weights(
    chain: Any,
    driver: PoolDriver,
    royalties: Any,
    licensee_pays: FeePayer,
    provider: Any,
    provider2: Any,
    pooled: bytes,
    pooled2: bytes,
) -> None:
    licensee_pays(140 * BPC)  # 56 + 42 at 80 : 60
    chain.pending_timestamp += PARAMS.rerate_interval
    driver.rate(pooled, score=60)  # 80 -> 60: now 60 : 60
    assert royalties.contributor_weight(provider) == 60
    licensee_pays(120 * BPC)  # 84 + 12 BPC at 60 : 60

    assert royalties.claim(sender=provider).return_value == 56 * BPC + 42 * BPC
    assert royalties.claim(sender=provider2).return_value == 48 * BPC + 48 * BPC


def test_claim__re_rated_under_the_core__stops_accruing(
    chain: Any,
    driver: PoolDriver,
    royalties: Any,
    licensee_pays: FeePayer,
    provider: Any,
    centre: Any,
    pooled: bytes,
    pooled2: bytes,
) -> None:
    licensee_pays(140 * BPC)
    chain.pending_timestamp += 31 * DAY
    driver.rate(pooled, score=PARAMS.core_threshold - 1)  # leaves the pool
    assert royalties.contributor_weight(provider) == royalties.centre_weight(centre) == 0
    licensee_pays(140 * BPC)

    assert royalties.claim(sender=provider).return_value == 56 * BPC
    # only the first fee's, and only its patent's 80 of the pool's 140 (until issue 15,
    # finding 5, the centre took the whole 14)
    assert royalties.claim(sender=centre).return_value == 8 * BPC


def test_claim__fund_contributed_patent__fund_collects_its_share(
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    licensee_pays: FeePayer,
    fund: Any,
    pool_council: Any,
    provider: Any,
    pooled: bytes,
) -> None:
    driver.pooled_purchase(fund, PURCHASED, certifier=provider)
    licensee_pays(160 * BPC)  # 112 + 16 BPC at 80 : 80
    assert royalties.claimable(fund) == 56 * BPC + 8 * BPC  # no centre: the fund manages it
    before = bpc.balanceOf(fund)

    fund.claim(royalties, sender=pool_council)

    assert bpc.balanceOf(fund) == before + 64 * BPC
    assert royalties.claimable(fund) == 0
