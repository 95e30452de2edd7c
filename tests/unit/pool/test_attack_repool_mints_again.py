"""Issue 15, finding 4: an expired patent is pooled again and mints again.

Expiry burns nothing: the contributor's BPC stay out while its patent's value leaves the
pool. Submitted, certified and pooled again, the same key minted a second time: the
contributor's claim on pooled value went from 1.0M to 1.5M USD while the other holder's
fell from 1.0M to 0.5M. A patent now mints to its contributor once in its life (per key):
pooled again, it mints at NAV to the fund, so no holder's claim rises (the departure's
loss stays where it fell; see test_attack_repool_sandwich.py for why the returning value
is not handed back to every BPC outstanding).

Expiry also respects the office's grace period for a late maintenance fee: a certificate
past its expiry lets anyone expire the patent only once the council's grace period
(182 days by default) has run; every other lapse (revoked, not in force, another owner,
a usage right's end) stays immediate.
"""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import Lapse, PatentStatus, Source
from tests.fixtures.pool import DAY, DOCUMENT, VALUATION, YEAR, PoolDriver
from tests.fixtures.suite import at
from tests.unit.pool.helpers import NOT_OWNER, NUMBER, ONE, OTHER_NUMBER, attest, revoke

MILLION = 1_000_000 * ONE  # USD
GRACE = 182 * DAY
IN_GRACE = "pool: certificate expired; its grace period for late fees has not ended"
GRACE_TOO_LONG = "pool: grace period above one year"


def claim(patent_pool: Any, bpc: Any, holder: Any) -> int:
    """What `holder`'s BPC are worth in pooled value (valuation units)."""
    return int(bpc.balanceOf(holder)) * int(patent_pool.pooled_value()) // int(bpc.totalSupply())


def pool_again(
    driver: PoolDriver,
    provider: Any,
    patent: bytes,
    certified_until: int,
    valuation: int = VALUATION,
) -> Any:
    """The contributor pays the fee late and submits the same key again, a new life:
    certified until `certified_until`, rated 80 at `valuation` and pooled; the receipt."""
    driver.submit(provider, NUMBER)
    attest(driver, provider, expiry=certified_until)
    driver.pool.certify(patent, sender=provider)
    driver.rate(patent, 80, valuation)
    return driver.pool.pool(patent, sender=driver.council)


@pytest.fixture
def mine(driver: PoolDriver, provider: Any, provider2: Any) -> bytes:
    """The provider's patent, pooled at 1.0M USD beside the SME's (also 1.0M USD)."""
    patent = driver.pooled(provider, NUMBER, valuation=MILLION)
    driver.pooled(provider2, OTHER_NUMBER, valuation=MILLION)
    return patent


def test_pool__expired_patent_pooled_again__its_contributor_mints_nothing_and_no_claim_rises(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    fund: Any,
    provider: Any,
    provider2: Any,
    attacker: Any,
    mine: bytes,
) -> None:
    assert claim(patent_pool, bpc, provider) == claim(patent_pool, bpc, provider2) == MILLION
    expiry = driver.certificates.certificate(mine, DOCUMENT)[2]
    at(chain, expiry + GRACE)
    patent_pool.expire(mine, sender=attacker)
    held = bpc.balanceOf(provider)
    assert claim(patent_pool, bpc, provider) == claim(patent_pool, bpc, provider2) == MILLION // 2

    tx = pool_again(driver, provider, mine, expiry + GRACE + YEAR, MILLION)

    # no holder's claim rises: the returning value is minted at NAV to the fund
    assert claim(patent_pool, bpc, provider) == MILLION // 2
    assert claim(patent_pool, bpc, provider2) == MILLION // 2
    assert claim(patent_pool, bpc, fund) == MILLION
    assert tx.return_value == 0
    assert bpc.balanceOf(provider) == held
    assert patent_pool.pooled_value() == 2 * MILLION
    assert patent_pool.patents(mine).status == PatentStatus.POOLED
    event = tx.events.filter(patent_pool.Pooled)[0]
    assert (event.minted, event.valuation, event.pooled_value) == (0, MILLION, 2 * MILLION)
    assert tx.events.filter(patent_pool.PooledAgainForFund) == [
        patent_pool.PooledAgainForFund(patent=mine, valuation=MILLION, minted=20_000 * ONE)
    ]


def test_minted_for__pooled_again__still_what_its_first_life_minted(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    attacker: Any,
    cert: certs.Certificate,
    pooled: bytes,
) -> None:
    first = patent_pool.minted_for(pooled)
    at(chain, cert.expiry + GRACE)
    patent_pool.expire(pooled, sender=attacker)
    pool_again(driver, provider, pooled, cert.expiry + GRACE + YEAR)

    assert patent_pool.minted_for(pooled) == first == 500 * ONE


def test_pool__first_pooling__records_what_it_minted(
    patent_pool: Any, bpc: Any, provider: Any, pooled: bytes
) -> None:
    assert patent_pool.minted_for(pooled) == bpc.balanceOf(provider) == 500 * ONE


def test_minted_for__never_pooled__zero(patent_pool: Any, rated: bytes) -> None:
    assert patent_pool.minted_for(rated) == 0


# The grace period for late maintenance fees.


def test_expire__past_expiry_within_the_grace_period__reverts(
    chain: Any, patent_pool: Any, attacker: Any, cert: certs.Certificate, pooled: bytes
) -> None:
    at(chain, cert.expiry + GRACE - 1)

    with ape.reverts(IN_GRACE):
        patent_pool.expire(pooled, sender=attacker)


def test_expire__at_the_end_of_the_grace_period__expires_past_expiry(
    chain: Any, patent_pool: Any, attacker: Any, cert: certs.Certificate, pooled: bytes
) -> None:
    at(chain, cert.expiry + GRACE)

    tx = patent_pool.expire(pooled, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.PAST_EXPIRY
    assert patent_pool.patents(pooled).status == PatentStatus.EXPIRED


def test_expire__fee_paid_late_within_the_grace_period__stays_pooled(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    attacker: Any,
    cert: certs.Certificate,
    pooled: bytes,
) -> None:
    at(chain, cert.expiry + 30 * DAY)
    attest(driver, provider, expiry=cert.expiry + YEAR)  # the office records the late fee
    at(chain, cert.expiry + GRACE)

    with ape.reverts("pool: certificate still in force"):
        patent_pool.expire(pooled, sender=attacker)


def test_expire__revoked_within_the_grace_period__expires_at_once(
    chain: Any, driver: PoolDriver, patent_pool: Any, attacker: Any, cert, pooled: bytes
) -> None:
    at(chain, cert.expiry + DAY)
    revoke(driver, cert)

    tx = patent_pool.expire(pooled, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.NOT_IN_FORCE


def test_expire__usage_right_ended_with_its_certificate_past_expiry__expires_at_once(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    attacker: Any,
) -> None:
    ends = driver.now() + 200 * DAY
    patent = driver.submit(provider, OTHER_NUMBER, source=Source.USAGE_RIGHT, right_ends=ends)
    owner_abroad = "0x" + "ab" * 20
    attest(driver, owner_abroad, OTHER_NUMBER, expiry=ends - DAY)
    patent_pool.certify(patent, sender=provider)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=pool_council)
    at(chain, ends)

    tx = patent_pool.expire(patent, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.RIGHT_ENDED


def test_lapse_of__past_expiry_within_grace__says_past_expiry_and_pool_refuses_it(
    chain: Any, driver: PoolDriver, patent_pool: Any, pool_council: Any, cert, rated: bytes
) -> None:
    """The grace period only delays expiry: a certificate past its expiry does not hold
    for pooling, a sale or certification."""
    at(chain, cert.expiry + DAY)
    chain.mine()

    assert patent_pool.lapse_of(rated) == Lapse.PAST_EXPIRY
    with ape.reverts("pool: certificate expired"):
        patent_pool.pool(rated, sender=pool_council)


def test_set_grace_period__by_the_council__sets_and_logs(
    patent_pool: Any, pool_council: Any
) -> None:
    assert patent_pool.grace_period() == GRACE

    tx = patent_pool.set_grace_period(90 * DAY, sender=pool_council)

    assert patent_pool.grace_period() == 90 * DAY
    assert tx.events == [patent_pool.GracePeriodSet(grace_period=90 * DAY)]


def test_set_grace_period__by_anyone_else__reverts(patent_pool: Any, attacker: Any) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.set_grace_period(0, sender=attacker)


def test_set_grace_period__over_a_year__reverts(patent_pool: Any, pool_council: Any) -> None:
    with ape.reverts(GRACE_TOO_LONG):
        patent_pool.set_grace_period(YEAR + 1, sender=pool_council)


def test_set_grace_period__zero__expiry_is_immediate_again(
    chain: Any, patent_pool: Any, pool_council: Any, attacker: Any, cert, pooled: bytes
) -> None:
    patent_pool.set_grace_period(0, sender=pool_council)
    at(chain, cert.expiry)

    patent_pool.expire(pooled, sender=attacker)

    assert patent_pool.patents(pooled).status == PatentStatus.EXPIRED
