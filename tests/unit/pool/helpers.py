"""Helpers shared by the PatentPool unit tests: revert reasons, certificates, assertions.

The chain-time helpers (`at`, `mine_at`, `wait`) are in tests/fixtures/suite.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ape

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Removal
from tests.fixtures.pool import DAY, DOCUMENT, PoolDriver

ZERO = "0x" + "00" * 20
OFFICE = "US"
NUMBER = "11234567"
OTHER_NUMBER = "7654321"
OTHER_DOCUMENT = bytes.fromhex("d1" * 32)
INTERVAL = 30 * DAY  # PARAMS.rerate_interval
GRACE = 182 * DAY  # the grace period after a certificate's expiry (the deployed default)
ONE = 10**18
MAX_VALUATION = 10**33
UNKNOWN_PATENT = certs.patent_id(OFFICE, "999")  # never submitted

NOT_OWNER = "ownable: caller is not the owner"
ALREADY_REGISTERED = "pool: patent already registered"
NOT_PROVIDER = "pool: caller is not a provider"
NOT_EXPERT = "pool: caller is not an expert"
NOT_CERTIFIED = "pool: patent is not certified"
NOT_AWAITING = "pool: patent is not awaiting certification"
NOT_RATED = "pool: patent is not rated"
NOT_POOLED = "pool: patent is not pooled"
NOT_IN_REGISTRY = "pool: patent is not in the registry"
BELOW_CORE = "pool: rating under the core threshold"
NOT_DUE = "pool: not due for re-rating"
NO_REASONING = "pool: empty reasoning digest"
STILL_IN_FORCE = "pool: certificate still in force"
NO_CERTIFICATE = "pool: no certificate for this patent and document"
NOT_IN_FORCE = "pool: certificate does not say in force"
EXPIRED = "pool: certificate expired"
RIGHT_ENDED = "pool: usage right ended"
OTHER_OWNER = "pool: certificate names another owner"
BAD_OFFICE = "patent_key: office code must be two capital letters"
EMPTY_NUMBER = "patent_key: patent number is empty"
LONG_NUMBER = "patent_key: patent number is longer than 32 characters"
BAD_FIRST = "patent_key: patent number must start with a letter or digit"
BAD_CHAR = "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"


def address(actor: Any) -> str:
    return str(getattr(actor, "address", actor))


def attest(
    driver: PoolDriver,
    owner: Any,
    number: str = NUMBER,
    *,
    office: str = OFFICE,
    document: bytes = DOCUMENT,
    status: CertStatus = CertStatus.IN_FORCE,
    expiry: int | None = None,
) -> certs.Certificate:
    """Attest (by an oracle quorum) a certificate for (office, number, document) naming `owner`."""
    cert = driver.certificate(office, number, owner, document, status, expiry)
    driver.attest(cert, sender=driver.oracles[0])
    return cert


def supersede(
    driver: PoolDriver, cert: certs.Certificate, change: str, provider: Any, provider2: Any
) -> None:
    """After the provider's `cert`: revoke it (`revoked`), or attest a newer certificate that
    is `lapsed` or `invalidated`, or that names provider2 (`to_provider2`: the patent changed
    hands)."""
    if change == "revoked":
        revoke(driver, cert)
    elif change == "to_provider2":
        attest(driver, provider2)
    else:
        attest(driver, provider, status=CertStatus[change.upper()])


def assert_new_life_refused(driver: PoolDriver, sold: bytes, provider: Any) -> None:
    """The `sold` patent leaves the pool as transferred; `provider` submits it again and
    cannot certify the new life on the old certificate (it names another owner)."""
    driver.pool.remove(sold, int(Removal.TRANSFERRED), sender=driver.council)
    driver.submit(provider, NUMBER)

    with ape.reverts(OTHER_OWNER):
        driver.pool.certify(sold, sender=provider)


def revoke(driver: PoolDriver, cert: certs.Certificate) -> None:
    """Revoke `cert` by an oracle quorum."""
    signatures = certs.quorum(
        certs.sign_revocation(driver.domain, cert, o.private_key) for o in driver.oracles[:2]
    )
    driver.certificates.revoke(
        cert.office, cert.number, cert.document, cert.nonce, signatures, sender=driver.oracles[0]
    )


# `assert_left_the_pool(tx, status, event, **fields)` (the fixture in conftest.py)
AssertLeft = Callable[..., None]


@dataclass(frozen=True)
class Holdings:
    """The BPC supply, a contributor's balance and the pooled value, read before a change."""

    supply: int
    balance: int
    value: int

    @classmethod
    def read(cls, patent_pool: Any, bpc: Any, contributor: Any) -> Holdings:
        return cls(bpc.totalSupply(), bpc.balanceOf(contributor), patent_pool.pooled_value())


def assert_pool_untouched(patent_pool: Any, royalties: Any, tx: Any) -> None:
    """`tx` left the (empty) pool as it was: no value, no patent counted, no weight moved."""
    assert patent_pool.pooled_value() == 0
    assert patent_pool.pooled_count() == 0
    assert tx.events.filter(royalties.WeightChanged) == []
