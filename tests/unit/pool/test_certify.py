"""PatentPool.certify: a submitted patent becomes certified once its certificate holds."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, PatentStatus, Source
from tests.fixtures.pool import YEAR, PoolDriver
from tests.fixtures.suite import at
from tests.unit.pool.helpers import (
    EXPIRED,
    NO_CERTIFICATE,
    NOT_AWAITING,
    NOT_IN_FORCE,
    NUMBER,
    OTHER_DOCUMENT,
    OTHER_OWNER,
    RIGHT_ENDED,
    attest,
    supersede,
)


@pytest.fixture
def usage_right(chain: Any, driver: PoolDriver, provider: Any) -> tuple[bytes, int]:
    """The provider's usage right on a patent, ending in 100 days; (id, end)."""
    ends = int(chain.pending_timestamp) + 100 * 24 * 3600
    patent = driver.submit(provider, NUMBER, source=Source.USAGE_RIGHT, right_ends=ends)
    return patent, ends


def test_certify__certificate_in_force_for_the_contributor__certifies_and_logs(
    driver: PoolDriver, patent_pool: Any, provider: Any, attacker: Any, submitted: bytes
) -> None:
    cert = attest(driver, provider)

    tx = patent_pool.certify(submitted, sender=attacker)  # anyone may call it

    assert patent_pool.patents(submitted).status == PatentStatus.CERTIFIED
    assert tx.events.filter(patent_pool.Certified) == [
        patent_pool.Certified(
            patent=submitted, owner=provider.address, expiry=cert.expiry, nonce=cert.nonce
        )
    ]


def test_certify__unknown_patent__reverts(patent_pool: Any, attacker: Any) -> None:
    with ape.reverts(NOT_AWAITING):
        patent_pool.certify(certs.patent_id("US", "999"), sender=attacker)


def test_certify__already_certified__reverts(patent_pool: Any, attacker: Any, certified: bytes):
    with ape.reverts(NOT_AWAITING):
        patent_pool.certify(certified, sender=attacker)


def test_certify__withdrawn_patent_with_certificate__reverts(
    patent_pool: Any, provider: Any, cert: certs.Certificate, submitted: bytes
) -> None:
    patent_pool.withdraw(submitted, sender=provider)

    with ape.reverts(NOT_AWAITING):
        patent_pool.certify(submitted, sender=provider)


def test_certify__no_certificate__reverts(patent_pool: Any, provider: Any, submitted: bytes):
    with ape.reverts(NO_CERTIFICATE):
        patent_pool.certify(submitted, sender=provider)


def test_certify__certificate_for_another_document__reverts_as_no_certificate(
    driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    attest(driver, provider, document=OTHER_DOCUMENT)

    with ape.reverts(NO_CERTIFICATE):
        patent_pool.certify(submitted, sender=provider)


@pytest.mark.parametrize("status", [CertStatus.PENDING, CertStatus.LAPSED, CertStatus.INVALIDATED])
def test_certify__certificate_status_not_in_force__reverts(
    driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes, status: CertStatus
) -> None:
    attest(driver, provider, status=status)

    with ape.reverts(NOT_IN_FORCE):
        patent_pool.certify(submitted, sender=provider)


def test_certify__a_second_before_expiry__certifies(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    expiry = int(chain.pending_timestamp) + 1000
    attest(driver, provider, expiry=expiry)
    at(chain, expiry - 1)

    patent_pool.certify(submitted, sender=provider)

    assert patent_pool.patents(submitted).status == PatentStatus.CERTIFIED


def test_certify__at_expiry__reverts(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    expiry = int(chain.pending_timestamp) + 1000
    attest(driver, provider, expiry=expiry)
    at(chain, expiry)

    with ape.reverts(EXPIRED):
        patent_pool.certify(submitted, sender=provider)


@pytest.mark.parametrize("right_owner", ["provider2", "outsider"], indirect=True)
def test_certify__certificate_names_another_owner__reverts(
    patent_pool: Any, provider: Any, submitted: bytes, right_owner: Any
) -> None:
    with ape.reverts(OTHER_OWNER):
        patent_pool.certify(submitted, sender=provider)


@pytest.mark.parametrize(
    ("change", "reason"), [("revoked", NOT_IN_FORCE), ("to_provider2", OTHER_OWNER)]
)
def test_certify__certificate_superseded__reverts(
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    provider2: Any,
    cert: certs.Certificate,
    submitted: bytes,
    change: str,
    reason: str,
) -> None:
    supersede(driver, cert, change, provider, provider2)

    with ape.reverts(reason):
        patent_pool.certify(submitted, sender=provider)


@pytest.mark.parametrize("source", [Source.PURCHASED, Source.FILED])
def test_certify__fund_patent_certificate_names_the_fund__certifies(
    driver: PoolDriver, patent_pool: Any, fund: Any, pool_council: Any, source: Source
) -> None:
    patent = driver.submit(pool_council, NUMBER, source=source)
    attest(driver, fund.address)

    patent_pool.certify(patent, sender=pool_council)

    assert patent_pool.patents(patent).status == PatentStatus.CERTIFIED


def test_certify__fund_patent_certificate_names_the_council__reverts(
    driver: PoolDriver, patent_pool: Any, pool_council: Any
) -> None:
    patent = driver.submit(pool_council, NUMBER, source=Source.PURCHASED)
    attest(driver, pool_council)

    with ape.reverts(OTHER_OWNER):
        patent_pool.certify(patent, sender=pool_council)


@pytest.fixture
def right_owner(
    request: pytest.FixtureRequest, driver: PoolDriver, pool_alliance: Any, pool_council: Any
) -> Any:
    """Parametrised indirectly with an actor fixture's name: that actor, named as the owner
    by a certificate of the patent `NUMBER`; `suspended-member`: the SME, named and then
    suspended (no longer an active member)."""
    suspend = request.param == "suspended-member"
    owner = request.getfixturevalue("provider2" if suspend else request.param)
    attest(driver, owner)
    if suspend:
        pool_alliance.suspend(owner, sender=pool_council)
    return owner


@pytest.mark.parametrize("right_owner", ["outsider", "suspended-member"], indirect=True)
def test_certify__usage_right_from_an_owner_outside_the_active_members__certifies(
    patent_pool: Any, provider: Any, usage_right: tuple[bytes, int], right_owner: Any
) -> None:
    patent, _ = usage_right

    patent_pool.certify(patent, sender=provider)

    assert patent_pool.patents(patent).status == PatentStatus.CERTIFIED


@pytest.mark.parametrize("right_owner", ["provider", "provider2", "centre"], indirect=True)
def test_certify__usage_right_from_an_active_member_or_the_contributor__reverts(
    patent_pool: Any, provider: Any, usage_right: tuple[bytes, int], right_owner: Any
) -> None:
    patent, _ = usage_right

    with ape.reverts(OTHER_OWNER):
        patent_pool.certify(patent, sender=provider)


def test_certify__usage_right_a_second_before_its_end__certifies(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, outsider: Any, usage_right
) -> None:
    patent, ends = usage_right
    attest(driver, outsider, expiry=ends + YEAR)
    at(chain, ends - 1)

    patent_pool.certify(patent, sender=provider)

    assert patent_pool.patents(patent).status == PatentStatus.CERTIFIED


def test_certify__usage_right_at_its_end__reverts(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, outsider: Any, usage_right
) -> None:
    patent, ends = usage_right
    attest(driver, outsider, expiry=ends + YEAR)
    at(chain, ends)

    with ape.reverts(RIGHT_ENDED):
        patent_pool.certify(patent, sender=provider)


def test_certify__certificate_for_the_resubmitted_document__certifies_new_document_only(
    driver: PoolDriver, patent_pool: Any, provider: Any, cert: certs.Certificate, submitted: bytes
) -> None:
    patent_pool.withdraw(submitted, sender=provider)
    driver.submit(provider, NUMBER, document=OTHER_DOCUMENT)

    with ape.reverts(NO_CERTIFICATE):  # the old document's certificate does not speak for it
        patent_pool.certify(submitted, sender=provider)
    attest(driver, provider, document=OTHER_DOCUMENT)
    patent_pool.certify(submitted, sender=provider)

    record = patent_pool.patents(submitted)
    assert (record.status, record.document) == (PatentStatus.CERTIFIED, OTHER_DOCUMENT)
