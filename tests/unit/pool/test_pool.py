"""PatentPool.pool: the council pools a rated patent; BPC is minted to its contributor at NAV."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal, Source
from tests.fixtures.pool import PARAMS, VALUATION, YEAR, PoolDriver
from tests.fixtures.suite import wait
from tests.unit.ownership import assert_follows_the_owner
from tests.unit.pool.helpers import (
    BELOW_CORE,
    EXPIRED,
    NOT_IN_FORCE,
    NOT_OWNER,
    NOT_RATED,
    NUMBER,
    ONE,
    OTHER_NUMBER,
    OTHER_OWNER,
    attest,
    revoke,
)

TOO_SMALL = "pool: valuation too small to mint any BPC"

RateOther = Callable[[int], bytes]
BurnTo = Callable[[int], Any]


def rated_at(driver: PoolDriver, provider: Any, number: str, valuation: int, score: int = 80):
    """A patent of `provider`, submitted, certified and rated at `valuation`."""
    patent = driver.submit(provider, number)
    driver.certify(provider, number)
    driver.rate(patent, score, valuation)
    return patent


@pytest.fixture
def rate_other(driver: PoolDriver, provider2: Any) -> RateOther:
    """`rate_other(valuation)`: the SME's patent `OTHER_NUMBER`, rated at `valuation`."""
    return lambda valuation: rated_at(driver, provider2, OTHER_NUMBER, valuation)


@pytest.fixture
def burn_to(bpc: Any, provider: Any, pooled: bytes) -> BurnTo:
    """`burn_to(left)`: the provider, sole holder after the first pooling, burns all but
    `left` of its BPC."""
    return lambda left: bpc.burn(bpc.balanceOf(provider) - left, sender=provider)


def test_pool__first_patent__mints_valuation_over_initial_nav_to_the_contributor_and_logs(
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    royalties: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    submitted: bytes,
) -> None:
    valuation = 12_345 * ONE + 99  # not a multiple of the NAV: the rounding shows
    driver.certify(provider, NUMBER)
    driver.rate(submitted, 80, valuation)

    tx = patent_pool.pool(submitted, sender=pool_council)

    minted = valuation * ONE // PARAMS.initial_nav
    assert minted == 123_450_000_000_000_000_000  # 123.45 BPC, the 99 wei rounded away
    assert tx.return_value == minted
    assert bpc.balanceOf(provider) == bpc.totalSupply() == minted
    assert patent_pool.patents(submitted).status == PatentStatus.POOLED
    assert patent_pool.pooled_value() == valuation
    assert patent_pool.pooled_count() == 1
    assert royalties.contributor_weight(provider) == 80
    assert royalties.centre_weight(centre) == 80
    assert tx.events.filter(patent_pool.Pooled) == [
        patent_pool.Pooled(
            patent=submitted,
            contributor=provider.address,
            valuation=valuation,
            minted=minted,
            pooled_value=valuation,
            supply=minted,
        )
    ]


@dataclass(frozen=True)
class Later:
    """A second patent, rated and not yet pooled, with the supply and value before it."""

    patent: bytes
    valuation: int
    supply: int
    value: int


@pytest.fixture
def later(
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    provider: Any,
    provider2: Any,
    pooled: bytes,
) -> Later:
    """The SME's patent, rated at an odd valuation after the provider burned an odd amount:
    the supply no longer matches the initial NAV, so the rounding shows."""
    bpc.burn(123 * ONE + 7, sender=provider)
    supply, value = bpc.totalSupply(), patent_pool.pooled_value()
    valuation = 30_001 * ONE + 3
    return Later(rated_at(driver, provider2, OTHER_NUMBER, valuation), valuation, supply, value)


def test_pool__later_patent__mints_valuation_times_supply_over_pooled_value(
    patent_pool: Any, bpc: Any, pool_council: Any, provider2: Any, later: Later
) -> None:
    tx = patent_pool.pool(later.patent, sender=pool_council)

    minted = later.valuation * later.supply // later.value
    assert tx.return_value == minted
    assert bpc.balanceOf(provider2) == minted
    assert bpc.totalSupply() == later.supply + minted
    assert patent_pool.pooled_value() == later.value + later.valuation
    assert patent_pool.pooled_count() == 2
    event = tx.events.filter(patent_pool.Pooled)[0]
    assert (event.minted, event.pooled_value, event.supply) == (
        minted,
        later.value + later.valuation,
        later.supply + minted,
    )


def test_pool__later_patent__keeps_nav_up_to_rounding_against_the_minter(
    patent_pool: Any, bpc: Any, pool_council: Any, later: Later
) -> None:
    nav = patent_pool.nav()

    patent_pool.pool(later.patent, sender=pool_council)

    new_supply, new_value = bpc.totalSupply(), patent_pool.pooled_value()
    assert new_value * later.supply >= later.value * new_supply  # holders are not diluted
    assert patent_pool.nav() - nav in (0, 1)  # ...and barely enriched


@pytest.mark.parametrize("caller", ["provider", "attacker"], indirect=True)
def test_pool__not_the_council__reverts(patent_pool: Any, rated: bytes, caller: Any) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.pool(rated, sender=caller)


@pytest.mark.parametrize(
    "patent_at", ["unknown", "submitted", "certified", "pooled"], indirect=True
)
def test_pool__patent_not_rated__reverts(
    patent_pool: Any, pool_council: Any, patent_at: bytes
) -> None:
    with ape.reverts(NOT_RATED):
        patent_pool.pool(patent_at, sender=pool_council)


def test_pool__rated_exactly_at_the_core_threshold__pools(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, provider: Any
) -> None:
    patent = rated_at(driver, provider, NUMBER, VALUATION, score=PARAMS.core_threshold)

    patent_pool.pool(patent, sender=pool_council)

    assert patent_pool.patents(patent).status == PatentStatus.POOLED


def test_pool__rated_under_the_core_threshold__reverts(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, provider: Any
) -> None:
    patent = rated_at(driver, provider, NUMBER, VALUATION, score=PARAMS.core_threshold - 1)

    with ape.reverts(BELOW_CORE):
        patent_pool.pool(patent, sender=pool_council)


@pytest.mark.parametrize("lapse", ["expired", "revoked", "changed hands"])
def test_pool__certificate_lapsed_since_certification__reverts(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    provider2: Any,
    cert: certs.Certificate,
    rated: bytes,
    lapse: str,
) -> None:
    if lapse == "expired":
        wait(chain, YEAR)
        reason = EXPIRED
    elif lapse == "revoked":
        revoke(driver, cert)
        reason = NOT_IN_FORCE
    else:
        attest(driver, provider2)
        reason = OTHER_OWNER

    with ape.reverts(reason):
        patent_pool.pool(rated, sender=pool_council)


def test_pool__valuation_worth_one_wei_of_bpc__mints_one_wei(
    driver: PoolDriver, patent_pool: Any, bpc: Any, pool_council: Any, provider: Any
) -> None:
    patent = rated_at(driver, provider, NUMBER, PARAMS.initial_nav // ONE)

    tx = patent_pool.pool(patent, sender=pool_council)

    assert tx.return_value == 1
    assert bpc.balanceOf(provider) == 1


def test_pool__valuation_worth_less_than_one_wei_of_bpc__reverts(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, provider: Any
) -> None:
    patent = rated_at(driver, provider, NUMBER, PARAMS.initial_nav // ONE - 1)

    with ape.reverts(TOO_SMALL):
        patent_pool.pool(patent, sender=pool_council)


@pytest.mark.parametrize("source", [Source.PURCHASED, Source.FILED])
def test_pool__fund_patent__mints_to_the_fund_and_weights_the_fund(
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    royalties: Any,
    fund: Any,
    pool_council: Any,
    source: Source,
) -> None:
    patent = driver.submit(pool_council, NUMBER, source=source)
    driver.certify(pool_council, NUMBER, owner=fund.address)
    driver.rate(patent, 80, VALUATION)

    tx = patent_pool.pool(patent, sender=pool_council)

    assert bpc.balanceOf(fund) == VALUATION * ONE // PARAMS.initial_nav
    assert bpc.balanceOf(pool_council) == 0
    assert royalties.contributor_weight(fund) == 80
    assert tx.events.filter(patent_pool.Pooled)[0].contributor == fund.address


def test_pool__after_every_pooled_patent_left__outstanding_bpc_diluted_to_a_millionth(
    patent_pool: Any, bpc: Any, pool_council: Any, pooled: bytes, rate_other: RateOther
) -> None:
    """With BPC outstanding and nothing behind it, no NAV exists to mint at: the old
    BPC claims nothing, and the new patent mints 10^6 times it (issue 15, finding 6;
    it used to revert for ever)."""
    patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)
    patent = rate_other(VALUATION)
    outstanding = bpc.totalSupply()
    assert outstanding != 0 and patent_pool.pooled_value() == 0

    tx = patent_pool.pool(patent, sender=pool_council)

    assert tx.return_value == outstanding * 10**6


def test_pool__after_all_bpc_was_burned__mints_at_the_initial_nav_again(
    patent_pool: Any, pool_council: Any, pooled: bytes, burn_to: BurnTo, rate_other: RateOther
) -> None:
    patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)
    burn_to(0)
    patent = rate_other(VALUATION)

    tx = patent_pool.pool(patent, sender=pool_council)

    assert tx.return_value == VALUATION * ONE // PARAMS.initial_nav


def test_pool__sole_holder_burned_to_the_floor__next_contributor_keeps_its_value(
    patent_pool: Any, bpc: Any, pool_council: Any, burn_to: BurnTo, rate_other: RateOther
) -> None:
    # The first-depositor inflation attack: burning the supply down to a few wei would
    # make one wei worth the pool. BPC's burn floor stops at 1 BPC (50,000 USD per BPC).
    with ape.reverts("bpc: a burn may leave 0 or at least 1 BPC outstanding"):
        burn_to(1)
    burn_to(10**18)
    valuation = 99_999 * ONE
    patent = rate_other(valuation)

    minted = patent_pool.pool(patent, sender=pool_council).return_value

    share = minted * patent_pool.pooled_value() // bpc.totalSupply()
    assert share >= valuation - valuation // 10**6


def test_pool__rounding_would_lose_over_a_millionth__reverts(
    patent_pool: Any, pool_council: Any, burn_to: BurnTo, rate_other: RateOther
) -> None:
    burn_to(10**18)  # 1 BPC = 50,000 USD
    patent = rate_other(3 * 10**4)  # 3e-14 USD: 0.6 wei of BPC

    with ape.reverts("pool: too few BPC outstanding to mint at NAV without loss"):
        patent_pool.pool(patent, sender=pool_council)


def test_pool__every_bpc_burned_with_value_pooled__the_unowned_value_goes_to_the_fund(
    patent_pool: Any,
    bpc: Any,
    fund: Any,
    pool_council: Any,
    provider2: Any,
    burn_to: BurnTo,
    rate_other: RateOther,
) -> None:
    burn_to(0)  # 50,000 USD pooled, no BPC left
    patent = rate_other(1_000 * ONE)

    tx = patent_pool.pool(patent, sender=pool_council)

    assert bpc.balanceOf(fund) == 500 * ONE  # the unowned 50,000 USD at 100 USD per BPC
    assert bpc.balanceOf(provider2) == 10 * ONE  # its own 1,000 USD, no more
    assert patent_pool.nav() == 100 * ONE
    assert tx.events.filter(patent_pool.UnownedValueToFund) == [
        patent_pool.UnownedValueToFund(value=50_000 * ONE, minted=500 * ONE)
    ]


def test_pool__registry_handed_over__the_successor_pools_not_the_old_council(
    patent_pool: Any, pool_council: Any, council_seats: list[Any], rated: bytes
) -> None:
    pool = partial(patent_pool.pool, rated)

    assert_follows_the_owner(patent_pool, pool, pool_council, council_seats[1])
