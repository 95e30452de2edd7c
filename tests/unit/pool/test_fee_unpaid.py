"""Issue 17: a certificate that says a maintenance fee fell due unpaid (FEE_UNPAID).

The oracles sign it once the office records the fee as unpaid on its due date; its expiry
is that due date. It must hold exactly as an in-force certificate past its expiry holds:
the patent stays pooled through the council's grace period (the office still takes the
fee late) and nobody may expire it before the grace period ends; it never holds for
anything new (pooling, certifying, a sale); a renewal within the grace period (the fee
paid late) keeps the patent; after the grace period anyone expires it, as past expiry.
The attack it guards against: a stranger expiring a patent whose owner may still pay, or
an owner in default pooling or selling on a certificate that says the fee is unpaid.
"""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Lapse, PatentStatus
from tests.fixtures.pool import DAY, YEAR, PoolDriver
from tests.fixtures.suite import at
from tests.unit.pool.helpers import GRACE, NUMBER, STILL_IN_FORCE, attest

IN_GRACE = "pool: certificate expired; its grace period for late fees has not ended"
EXPIRED = "pool: certificate expired"


def unpaid(driver: PoolDriver, provider: Any, cert: certs.Certificate) -> certs.Certificate:
    """The oracles' certificate that the fee due at `cert.expiry` went unpaid."""
    return attest(driver, provider, status=CertStatus.FEE_UNPAID, expiry=cert.expiry)


@pytest.fixture
def fee_unpaid(
    chain: Any, driver: PoolDriver, provider: Any, cert: certs.Certificate, pooled: bytes
) -> None:
    """A day past the due date of the pooled patent's fee, the oracles' certificate that
    it went unpaid: where every expiry test of an unpaid fee starts."""
    at(chain, cert.expiry + DAY)
    unpaid(driver, provider, cert)


@pytest.mark.usefixtures("fee_unpaid")
def test_expire__fee_unpaid_within_the_grace_period__reverts(
    chain: Any, patent_pool: Any, attacker: Any, cert: certs.Certificate, pooled: bytes
) -> None:
    at(chain, cert.expiry + GRACE - 1)

    with ape.reverts(IN_GRACE):
        patent_pool.expire(pooled, sender=attacker)
    assert patent_pool.patents(pooled).status == PatentStatus.POOLED


@pytest.mark.usefixtures("fee_unpaid")
def test_expire__fee_unpaid_at_the_end_of_the_grace_period__anyone_expires_it(
    chain: Any, patent_pool: Any, attacker: Any, cert: certs.Certificate, pooled: bytes
) -> None:
    value = patent_pool.pooled_value()
    at(chain, cert.expiry + GRACE)

    tx = patent_pool.expire(pooled, sender=attacker)

    event = tx.events.filter(patent_pool.Expired)[0]
    assert event.lapse == Lapse.PAST_EXPIRY
    assert event.pooled_value == value - event.value_out  # its value leaves the NAV
    assert event.value_out > 0
    assert patent_pool.patents(pooled).status == PatentStatus.EXPIRED


@pytest.mark.usefixtures("fee_unpaid")
def test_expire__fee_unpaid_then_paid_late__stays_pooled(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, attacker: Any, cert, pooled
) -> None:
    at(chain, cert.expiry + 60 * DAY)
    attest(driver, provider, expiry=cert.expiry + YEAR)  # the office records the late fee
    at(chain, cert.expiry + GRACE)

    with ape.reverts(STILL_IN_FORCE):
        patent_pool.expire(pooled, sender=attacker)
    assert patent_pool.lapse_of(pooled) == Lapse.NONE


@pytest.mark.parametrize("days_before_due", [30, 0], ids=["before-due-date", "on-due-date"])
def test_pool__fee_unpaid_certificate__refused_as_expired(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    cert,
    rated: bytes,
    days_before_due: int,
) -> None:
    """Whatever its expiry says, a certificate of an unpaid fee pools nothing once its due
    date has come; signed early (a quorum that got ahead of the office), it holds only as
    an in-force certificate would, to its expiry."""
    at(chain, cert.expiry - days_before_due * DAY)
    unpaid(driver, provider, cert)
    at(chain, cert.expiry)
    chain.mine()

    assert patent_pool.lapse_of(rated) == Lapse.PAST_EXPIRY
    with ape.reverts(EXPIRED):
        patent_pool.pool(rated, sender=pool_council)


def test_certify__fee_unpaid_certificate__refused_as_expired(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any
) -> None:
    patent = driver.submit(provider, NUMBER)
    due = driver.now() + 10 * DAY
    attest(driver, provider, status=CertStatus.FEE_UNPAID, expiry=due)
    at(chain, due)

    with ape.reverts(EXPIRED):
        patent_pool.certify(patent, sender=provider)


@pytest.mark.usefixtures("fee_unpaid")
def test_expire__lapsed_after_fee_unpaid__expires_at_once(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, attacker: Any, cert, pooled
) -> None:
    """The office ends the grace and records the patent lapsed: no need to wait for the
    pool's own grace period."""
    at(chain, cert.expiry + 90 * DAY)
    attest(driver, provider, status=CertStatus.LAPSED, expiry=cert.expiry)

    tx = patent_pool.expire(pooled, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.NOT_IN_FORCE
