"""Issue 15, finding 12: Certificates accepts malformed keys, and keccak(office ++ number) collides.

A quorum-signed certificate for ("U", "S123") (a malformed office code) hashed to the id
of ("US", "123"), so it replaced the record of that pooled patent: here it named the
attacker, the pool's patent lapsed as "owner changed" and anyone expired it. Every entry
point of Certificates now checks the key as the pool does (patent_key._check), and the id
is keccak256(abi_encode(office, number)), which no two keys share.
"""

from typing import Any

import ape
import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core import certificates as certs
from bpsa.core.codes import Lapse, PatentStatus
from tests.fixtures.pool import DOCUMENT, VALUATION, PoolDriver
from tests.unit.certificates.conftest import Batch, Sign
from tests.unit.certificates.helpers import make, unchecked

BAD_OFFICE = "patent_key: office code must be two capital letters"
BAD_CHAR = "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
MALFORMED = [
    ("U", "S123", BAD_OFFICE),
    ("us", "123", BAD_OFFICE),
    ("US", "12 3", BAD_CHAR),
    ("US", "", "patent_key: patent number is empty"),
    ("US", "-123", "patent_key: patent number must start with a letter or digit"),
    ("US", "1" * 33, "patent_key: patent number is longer than 32 characters"),
]


@pytest.fixture
def pooled_us_123(driver: PoolDriver, provider: Any, pool_council: Any) -> bytes:
    """("US", "123"), the provider's, pooled."""
    return driver.pooled(provider, "123", valuation=VALUATION)


def test_attest__malformed_key_colliding_with_a_pooled_patent__reverts_and_record_stays(
    certificates: Any,
    patent_pool: Any,
    sign: Sign,
    attacker: Any,
    provider: Any,
    pooled_us_123: bytes,
) -> None:
    forged = unchecked(make(attacker, nonce=99), office="U", number="S123")
    record = certificates.certificate(pooled_us_123, DOCUMENT)

    with ape.reverts(BAD_OFFICE):
        certificates.attest(forged.as_arg(), sign.certificate(forged), sender=attacker)

    assert certificates.certificate(pooled_us_123, DOCUMENT) == record
    assert patent_pool.lapse_of(pooled_us_123) == Lapse.NONE
    with ape.reverts("pool: certificate still in force"):
        patent_pool.expire(pooled_us_123, sender=attacker)
    assert patent_pool.patents(pooled_us_123).status == PatentStatus.POOLED


@pytest.mark.parametrize(("office", "number", "reason"), MALFORMED)
def test_attest__malformed_key__reverts(
    certificates: Any, sign: Sign, provider: Any, office: str, number: str, reason: str
) -> None:
    cert = unchecked(make(provider), office=office, number=number)

    with ape.reverts(reason):
        certificates.attest(cert.as_arg(), sign.certificate(cert), sender=provider)


@pytest.mark.parametrize(("office", "number", "reason"), MALFORMED[:2])
def test_prove__malformed_key_in_an_accepted_batch__reverts(
    certificates: Any,
    accept_batch: Any,
    provider: Any,
    office: str,
    number: str,
    reason: str,
) -> None:
    cert = unchecked(make(provider), office=office, number=number)
    batch: Batch = accept_batch([cert, make(provider, number="42")])

    with ape.reverts(reason):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)


@pytest.mark.parametrize(("office", "number", "reason"), MALFORMED[:2])
def test_revoke__malformed_key_colliding_with_a_record__reverts(
    certificates: Any,
    sign: Sign,
    attest: Any,
    provider: Any,
    office: str,
    number: str,
    reason: str,
) -> None:
    attest(make(provider, number="123"))
    forged = unchecked(make(provider, number="123"), office=office, number=number)

    with ape.reverts(reason):
        certificates.revoke(office, number, DOCUMENT, 1, sign.revocation(forged), sender=provider)


def test_patent_id__abi_encoded__no_two_keys_share_an_id(
    certificates: Any, patent_pool: Any
) -> None:
    expected = keccak(encode(["string", "string"], ["US", "123"]))

    assert certs.patent_id("US", "123") == expected
    assert certificates.patent_id("US", "123") == expected
    assert patent_pool.patent_id("US", "123") == expected
    assert keccak(b"US" + b"123") != expected  # the old, ambiguous encoding


def test_patent_id__malformed_key__reverts(certificates: Any) -> None:
    with ape.reverts(BAD_OFFICE):
        certificates.patent_id("U", "S123")
