"""Royalties.claimable: exactly what `claim` would pay now, settled or pending, from both
sides (contributor and centre) of an account."""

from typing import Any

from bpsa.core.codes import Removal, Role
from tests.fixtures.pool import PoolDriver
from tests.unit.royalties.conftest import PATENT2
from tests.unit.royalties.helpers import BPC, PRECISION, pay


def test_claimable__after_odd_fees__equals_what_claim_pays(
    bpc: Any,
    royalties: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
    pooled: bytes,
    pooled2: bytes,
) -> None:
    # Amounts that divide by neither 140 nor 80, so every share rounds.
    for amount in (1, 7, 10**18 + 3):
        pay(bpc, royalties, licensee, amount, source=provider)
    expected = {a: royalties.claimable(a) for a in (provider, provider2, centre)}
    assert all(expected.values())

    paid = {a: royalties.claim(sender=a).return_value for a in expected}

    assert paid == expected
    assert all(royalties.claimable(a) == 0 for a in expected)


def test_claimable__rounds_down__never_more_than_was_paid_in(
    bpc: Any,
    royalties: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
    pooled: bytes,
    pooled2: bytes,
) -> None:
    pay(bpc, royalties, licensee, 13, source=provider)  # 2 to the fund, 1 to the centres

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
    driver: PoolDriver,
    bpc: Any,
    royalties: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    licensee: Any,
    pooled: bytes,
) -> None:
    # The SME also becomes a trusteeship centre and manages its own patent.
    pool_alliance.grant_role(provider2, int(Role.TRUSTEESHIP_CENTRE), sender=pool_council)
    driver.pooled(provider2, PATENT2, score=60, centre=provider2)

    pay(bpc, royalties, licensee, 140 * BPC, source=provider)

    # 98 x 60 / 140 as contributor, plus 14 x 60 / 140 as centre
    assert royalties.claimable(provider2) == 42 * BPC + 6 * BPC
    assert royalties.claim(sender=provider2).return_value == 48 * BPC


def test_claimable__after_removal__keeps_the_settled_part(
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    licensee: Any,
    pooled: bytes,
) -> None:
    pay(bpc, royalties, licensee, 100 * BPC, source=provider)

    patent_pool.remove(pooled, int(Removal.REJECTED), sender=pool_council)

    assert royalties.claimable(provider) == 70 * BPC
    assert royalties.claimable(centre) == 10 * BPC


def test_claimable__stranger__zero(
    bpc: Any, royalties: Any, provider: Any, licensee: Any, outsider: Any, pooled: bytes
) -> None:
    pay(bpc, royalties, licensee, 100 * BPC, source=provider)

    assert royalties.claimable(outsider) == 0
    assert royalties.claimable(licensee) == 0
