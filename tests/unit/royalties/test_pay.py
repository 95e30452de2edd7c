"""Royalties.pay: a fee in BPC splits 70/10/20 between contributors and trusteeship
centres, both by the patents' share of the whole pool's rating weight (a patent without a
centre keeps the centre part with its contributor), and the fund; with no pooled patent,
everything goes to the fund."""

from typing import Any

import ape

from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.royalties.conftest import PATENT, FeePayer, Shares
from tests.unit.royalties.helpers import BPC, PRECISION, REFERENCE, split


def test_pay__pooled_patent_with_centre__splits_70_10_20(
    bpc: Any,
    royalties: Any,
    licensee_pays: FeePayer,
    shares: Shares,
    licensee: Any,
    pooled: bytes,
) -> None:
    licensee_pays(100 * BPC)

    assert shares() == (70 * BPC, 10 * BPC, 20 * BPC)
    assert bpc.balanceOf(royalties) == 80 * BPC
    assert bpc.balanceOf(licensee) == 0


def test_pay__no_pooled_patent__everything_to_the_fund(
    bpc: Any,
    royalties: Any,
    licensee_pays: FeePayer,
    patent_pool: Any,
    fund: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    pooled: bytes,
) -> None:
    # The provider keeps its BPC after its only patent leaves the pool.
    patent_pool.remove(pooled, int(Removal.TRANSFERRED), sender=pool_council)
    assert royalties.total_contributor_weight() == 0

    tx = licensee_pays(100 * BPC)

    assert bpc.balanceOf(fund) == 100 * BPC
    assert bpc.balanceOf(royalties) == 0
    assert royalties.claimable(provider) == royalties.claimable(centre) == 0
    assert royalties.royalty_accumulator() == royalties.centre_accumulator() == 0
    event = tx.events.filter(royalties.RoyaltyPaid)[0]
    assert (event.to_contributors, event.to_centres, event.to_fund) == (0, 0, 100 * BPC)


def test_pay__no_pooled_patent_with_centre__the_contributor_keeps_the_centre_share(
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    licensee_pays: FeePayer,
    fund: Any,
    provider: Any,
) -> None:
    # Until issue 15 (finding 5) this share went to the fund; a patent without a centre is
    # managed by its contributor, who keeps the centre part of its proceeds.
    driver.pooled(provider, PATENT, score=80)  # no trusteeship centre

    tx = licensee_pays(100 * BPC)

    assert royalties.claimable(provider) == 80 * BPC
    assert bpc.balanceOf(fund) == 20 * BPC
    assert royalties.centre_accumulator() == 10 * BPC * PRECISION // 80
    event = tx.events.filter(royalties.RoyaltyPaid)[0]
    assert (event.to_contributors, event.to_centres, event.to_fund) == (
        70 * BPC,
        10 * BPC,
        20 * BPC,
    )


def test_pay__event__names_payer_reference_and_the_three_shares(
    royalties: Any, licensee_pays: FeePayer, licensee: Any, pooled: bytes
) -> None:
    tx = licensee_pays(100 * BPC)

    assert tx.events.filter(royalties.RoyaltyPaid) == [
        royalties.RoyaltyPaid(
            payer=licensee.address,
            reference=REFERENCE,
            amount=100 * BPC,
            to_contributors=70 * BPC,
            to_centres=10 * BPC,
            to_fund=20 * BPC,
        )
    ]


def test_pay__two_fees__totals_count_fees_in_and_paid_to_fund(
    royalties: Any, licensee_pays: FeePayer, pooled: bytes
) -> None:
    licensee_pays(100 * BPC)
    licensee_pays(50 * BPC)

    assert royalties.fees_in() == 150 * BPC
    assert royalties.paid_to_fund() == 30 * BPC
    assert royalties.claimed() == 0


def test_pay__one_wei__goes_to_the_contributors(
    royalties: Any, licensee_pays: FeePayer, shares: Shares, pooled: bytes
) -> None:
    # 1 wei x 20% and 1 wei x 10% round down to 0: the rounding dust is the contributors'.
    tx = licensee_pays(1)

    event = tx.events.filter(royalties.RoyaltyPaid)[0]
    assert (event.to_contributors, event.to_centres, event.to_fund) == (1, 0, 0)
    assert royalties.contributor_accumulator() == PRECISION // 80
    assert shares() == (1, 0, 0)
    assert royalties.paid_to_fund() == 0


def test_pay__division_remainders__carried_to_the_next_fee(
    royalties: Any, licensee_pays: FeePayer, pooled: bytes, pooled2: bytes
) -> None:
    # Contributor weight 80 + 60 = 140; a 6-wei fee gives the contributors 5 wei, and
    # 5e27 / 140 leaves a remainder of 100: two such fees carry one more unit.
    to_contributors, _, _ = split(6)
    assert to_contributors == 5 and to_contributors * PRECISION % 140 == 100

    licensee_pays(6)
    licensee_pays(6)

    assert royalties.contributor_accumulator() == 2 * to_contributors * PRECISION // 140
    assert royalties.contributor_accumulator() == 2 * (to_contributors * PRECISION // 140) + 1


def test_pay__zero_amount__reverts(bpc: Any, royalties: Any, licensee: Any, pooled: bytes) -> None:
    bpc.approve(royalties, 100 * BPC, sender=licensee)

    with ape.reverts("royalties: amount is zero"):
        royalties.pay(0, REFERENCE, sender=licensee)


def test_pay__without_allowance__reverts(
    bpc: Any, royalties: Any, provider: Any, licensee: Any, pooled: bytes
) -> None:
    bpc.transfer(licensee, 100 * BPC, sender=provider)

    with ape.reverts("erc20: insufficient allowance"):
        royalties.pay(100 * BPC, REFERENCE, sender=licensee)


def test_pay__more_than_the_balance__reverts(
    bpc: Any, royalties: Any, provider: Any, licensee: Any, pooled: bytes
) -> None:
    bpc.transfer(licensee, 100 * BPC, sender=provider)
    bpc.approve(royalties, 101 * BPC, sender=licensee)

    with ape.reverts("erc20: transfer amount exceeds balance"):
        royalties.pay(101 * BPC, REFERENCE, sender=licensee)
