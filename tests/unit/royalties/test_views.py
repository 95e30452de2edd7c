"""Royalties.claimable: exactly what `claim` would pay now, settled or pending, from both
sides (contributor and centre) of an account."""

from typing import Any

from bpsa.core.codes import Removal
from tests.unit.royalties.conftest import FeePayer, Shares
from tests.unit.royalties.helpers import BPC, PRECISION


def test_claimable__after_odd_fees__equals_what_claim_pays(
    royalties: Any, licensee_pays: FeePayer, earners: tuple[Any, Any, Any]
) -> None:
    # Amounts that divide by neither 140 nor 80, so every share rounds.
    for amount in (1, 7, 10**18 + 3):
        licensee_pays(amount)
    expected = {a: royalties.claimable(a) for a in earners}
    assert all(expected.values())

    paid = {a: royalties.claim(sender=a).return_value for a in expected}

    assert paid == expected
    assert all(royalties.claimable(a) == 0 for a in expected)


def test_claimable__rounds_down__never_more_than_was_paid_in(
    bpc: Any, royalties: Any, licensee_pays: FeePayer, earners: tuple[Any, Any, Any]
) -> None:
    provider, provider2, centre = earners
    licensee_pays(13)  # 2 to the fund, 1 to the centres

    # 10 wei over weights 80 and 60: 5.71 and 4.28; the centres' 1 wei: 0.57 to the centre,
    # 0.43 to provider2 (no centre), whose 4.71 rounds down to 4; the centre's 0.57 to 0.
    accumulator = 10 * PRECISION // 140
    assert royalties.contributor_accumulator() == accumulator
    assert royalties.claimable(provider) == 80 * accumulator // PRECISION == 5
    assert royalties.claimable(provider2) == 4
    assert royalties.claimable(centre) == 0
    # two wei of the eleven stay in the contract: no one's share reaches them
    assert bpc.balanceOf(royalties) == 11


def test_claimable__contributor_who_is_also_a_centre__sums_both_sides(
    royalties: Any, licensee_pays: FeePayer, provider2: Any, pooled: bytes, self_managed: bytes
) -> None:
    # The SME also became a trusteeship centre and manages its own patent.
    licensee_pays(140 * BPC)

    # 98 x 60 / 140 as contributor, plus 14 x 60 / 140 as centre
    assert royalties.claimable(provider2) == 42 * BPC + 6 * BPC
    assert royalties.claim(sender=provider2).return_value == 48 * BPC


def test_claimable__after_removal__keeps_the_settled_part(
    licensee_pays: FeePayer, shares: Shares, patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    licensee_pays(100 * BPC)

    patent_pool.remove(pooled, int(Removal.REJECTED), sender=pool_council)

    assert shares() == (70 * BPC, 10 * BPC, 20 * BPC)


def test_claimable__stranger__zero(
    royalties: Any, licensee_pays: FeePayer, licensee: Any, outsider: Any, pooled: bytes
) -> None:
    licensee_pays(100 * BPC)

    assert royalties.claimable(outsider) == 0
    assert royalties.claimable(licensee) == 0
