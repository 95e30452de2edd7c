"""PatentPool.expire: anyone expires a patent whose certificate no longer holds."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import Kind, Lapse, PatentStatus, Removal, Source
from tests.fixtures.pool import VALUATION, YEAR, PoolDriver
from tests.fixtures.suite import IDENTITY, application, at
from tests.unit.pool.helpers import (
    GRACE,
    NOT_CERTIFIED,
    NUMBER,
    STILL_IN_FORCE,
    AssertLeft,
    assert_pool_untouched,
    attest,
    supersede,
)


def test_expire__pooled_patent_past_expiry_and_grace__anyone_expires_it_and_nav_falls(
    chain: Any,
    patent_pool: Any,
    royalties: Any,
    centre: Any,
    attacker: Any,
    cert: certs.Certificate,
    pooled: bytes,
    assert_left_the_pool: AssertLeft,
) -> None:
    at(chain, cert.expiry + GRACE)  # past expiry, and the office's grace period over

    tx = patent_pool.expire(pooled, sender=attacker)

    assert_left_the_pool(
        tx, PatentStatus.EXPIRED, patent_pool.Expired, lapse=int(Lapse.PAST_EXPIRY)
    )
    assert royalties.centre_weight(centre) == 0


@pytest.fixture(params=["certificate_expiry", "usage_right_end"])
def pooled_until(request: pytest.FixtureRequest, outsider: Any) -> tuple[bytes, int]:
    """A pooled patent and the end of what it rests on: its certificate's expiry, or the
    end of its usage right (`pooled_usage_right`, on the outsider's patent)."""
    if request.param == "certificate_expiry":
        return request.getfixturevalue("pooled"), request.getfixturevalue("cert").expiry
    patent_and_end: tuple[bytes, int] = request.getfixturevalue("pooled_usage_right")
    return patent_and_end


def test_expire__a_second_before_its_end__reverts(
    chain: Any, patent_pool: Any, attacker: Any, pooled_until: tuple[bytes, int]
) -> None:
    patent, ends = pooled_until
    at(chain, ends - 1)

    with ape.reverts(STILL_IN_FORCE):
        patent_pool.expire(patent, sender=attacker)


def test_expire__certificate_renewed_before_expiry__reverts_after_the_old_expiry(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, cert, pooled: bytes
) -> None:
    attest(driver, provider, expiry=cert.expiry + YEAR)  # maintenance fee paid
    at(chain, cert.expiry)

    with ape.reverts(STILL_IN_FORCE):
        patent_pool.expire(pooled, sender=provider)


@pytest.mark.parametrize(
    ("change", "lapse"),
    [
        ("revoked", Lapse.NOT_IN_FORCE),
        ("lapsed", Lapse.NOT_IN_FORCE),
        ("invalidated", Lapse.NOT_IN_FORCE),
        ("to_provider2", Lapse.OWNER_CHANGED),
    ],
)
def test_expire__certificate_superseded__expires_with_its_lapse(
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    provider2: Any,
    attacker: Any,
    cert: certs.Certificate,
    pooled: bytes,
    change: str,
    lapse: Lapse,
) -> None:
    supersede(driver, cert, change, provider, provider2)

    tx = patent_pool.expire(pooled, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == lapse
    assert patent_pool.patents(pooled).status == PatentStatus.EXPIRED
    assert patent_pool.pooled_value() == 0


@pytest.fixture
def pooled_usage_right(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, outsider: Any
) -> tuple[bytes, int]:
    """The provider's usage right on the outsider's patent, pooled; ends in 100 days."""
    ends = int(chain.pending_timestamp) + 100 * 24 * 3600
    patent = driver.submit(provider, NUMBER, source=Source.USAGE_RIGHT, right_ends=ends)
    attest(driver, outsider)  # in force for a year, past the right's end
    patent_pool.certify(patent, sender=provider)
    driver.rate(patent, 80, VALUATION)
    patent_pool.pool(patent, sender=driver.council)
    return patent, ends


def test_expire__usage_right_at_its_end__expires_as_right_ended(
    chain: Any, patent_pool: Any, attacker: Any, pooled_usage_right: tuple[bytes, int]
) -> None:
    patent, ends = pooled_usage_right
    at(chain, ends)

    tx = patent_pool.expire(patent, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.RIGHT_ENDED
    assert patent_pool.pooled_value() == 0


def test_expire__usage_right_whose_owner_joined_the_alliance__expires_as_owner_changed(
    patent_pool: Any,
    pool_alliance: Any,
    pool_council: Any,
    outsider: Any,
    attacker: Any,
    pooled_usage_right: tuple[bytes, int],
) -> None:
    patent, _ = pooled_usage_right
    pool_alliance.apply(int(Kind.SME), IDENTITY, sender=outsider)
    pool_alliance.admit(*application(pool_alliance, outsider), sender=pool_council)

    tx = patent_pool.expire(patent, sender=attacker)

    assert tx.events.filter(patent_pool.Expired)[0].lapse == Lapse.OWNER_CHANGED


@pytest.mark.parametrize("patent_at", ["certified", "rated"], indirect=True)
def test_expire__lapsed_patent_not_yet_pooled__expires_without_touching_the_pool(
    chain: Any,
    patent_pool: Any,
    royalties: Any,
    attacker: Any,
    cert: certs.Certificate,
    patent_at: bytes,
) -> None:
    patent = patent_at
    at(chain, cert.expiry + GRACE)

    tx = patent_pool.expire(patent, sender=attacker)

    assert patent_pool.patents(patent).status == PatentStatus.EXPIRED
    assert_pool_untouched(patent_pool, royalties, tx)


@pytest.fixture(params=["unknown", "submitted", "withdrawn", "removed", "expired"])
def uncertified(
    request: pytest.FixtureRequest,
    chain: Any,
    patent_pool: Any,
    provider: Any,
    pool_council: Any,
) -> bytes:
    """A patent id that is not (or no longer) certified, its certificate past expiry."""
    if request.param == "unknown":
        return certs.patent_id("US", "999")
    stage = "submitted" if request.param in ("submitted", "withdrawn") else "certified"
    patent: bytes = request.getfixturevalue(stage)
    request.getfixturevalue("cert")
    chain.pending_timestamp += 2 * YEAR
    chain.mine()
    if request.param == "withdrawn":
        patent_pool.withdraw(patent, sender=provider)
    elif request.param == "removed":
        patent_pool.remove(patent, int(Removal.REJECTED), sender=pool_council)
    elif request.param == "expired":
        patent_pool.expire(patent, sender=pool_council)
    return patent


def test_expire__patent_not_certified__reverts(
    patent_pool: Any, attacker: Any, uncertified: bytes
) -> None:
    with ape.reverts(NOT_CERTIFIED):
        patent_pool.expire(uncertified, sender=attacker)
