"""Certificates.revoke: the oracle quorum revokes one certificate by its nonce."""

from collections.abc import Callable
from typing import Any

import ape
import pytest
from eth_utils.address import to_checksum_address

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from tests.fixtures.pool import DOCUMENT, PARAMS
from tests.unit.certificates.conftest import Batch, Sign
from tests.unit.certificates.helpers import (
    ALREADY_REVOKED,
    DUPLICATE,
    HIGH_S,
    NO_SUCH,
    NONCE_USED,
    NOT_ORACLE,
    OTHER_DOCUMENT,
    TOO_FEW,
    UNORDERED,
    WRONG_SIGNATURE,
    events,
    high_s_twin,
    make,
    record,
    unchecked,
)

REVOKED = int(CertStatus.REVOKED)


def _revoke(certificates: Any, cert: certs.Certificate, signatures: Any, sender: Any) -> Any:
    return certificates.revoke(
        cert.office, cert.number, cert.document, cert.nonce, signatures, sender=sender
    )


@pytest.fixture
def attested(attest: Any, provider: Any) -> certs.Certificate:
    """A certificate with nonce 3, accepted."""
    cert = make(provider, nonce=3)
    attest(cert)
    return cert


def test_revoke__attested_certificate__status_revoked_rest_kept_and_logged(
    certificates: Any, sign: Sign, attested: certs.Certificate, outsider: Any
) -> None:
    tx = _revoke(certificates, attested, sign.revocation(attested), outsider)

    assert certificates.certificate(attested.patent, DOCUMENT) == record(
        attested.owner, attested, status=REVOKED
    )
    assert events(tx, certificates) == [
        certificates.CertificateRevoked(patent=attested.patent, document=DOCUMENT, nonce=3)
    ]


def test_revoke__extreme_record__only_status_changes(
    certificates: Any, sign: Sign, attest: Any, provider: Any
) -> None:
    """The status byte is cleared and set without touching its neighbours."""
    owner = to_checksum_address("0x" + "ff" * 20)
    cert = make(owner, nonce=2**48 - 1, expiry=2**40 - 1, status=CertStatus.INVALIDATED)
    attest(cert)

    _revoke(certificates, cert, sign.revocation(cert), provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(owner, cert, status=REVOKED)


def test_revoke__twice__reverts_already_revoked(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any
) -> None:
    signatures = sign.revocation(attested)
    _revoke(certificates, attested, signatures, provider)

    with ape.reverts(ALREADY_REVOKED):
        _revoke(certificates, attested, signatures, provider)


@pytest.mark.parametrize("nonce", [2, 4], ids=["older", "newer"])
def test_revoke__wrong_nonce__reverts_no_such_certificate(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any, nonce: int
) -> None:
    other = make(provider, nonce=nonce)

    with ape.reverts(NO_SUCH):
        _revoke(certificates, other, sign.revocation(other), provider)

    assert certificates.certificate(attested.patent, DOCUMENT) == record(provider, attested)


def test_revoke__nothing_attested__reverts_no_such_certificate(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    cert = make(provider)

    with ape.reverts(NO_SUCH):
        _revoke(certificates, cert, sign.revocation(cert), provider)


def test_revoke__other_document__reverts_no_such_certificate(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any
) -> None:
    other = make(provider, nonce=attested.nonce, document=OTHER_DOCUMENT)

    with ape.reverts(NO_SUCH):
        _revoke(certificates, other, sign.revocation(other), provider)


def test_revoke__one_document__other_documents_record_untouched(
    certificates: Any, sign: Sign, attest: Any, attested: certs.Certificate, provider2: Any
) -> None:
    other = make(provider2, nonce=attested.nonce, document=OTHER_DOCUMENT)
    attest(other)

    _revoke(certificates, attested, sign.revocation(attested), provider2)

    assert certificates.certificate(attested.patent, OTHER_DOCUMENT) == record(provider2, other)


def test_revoke__then_newer_certificate__accepted(
    certificates: Any, sign: Sign, attest: Any, attested: certs.Certificate, provider2: Any
) -> None:
    _revoke(certificates, attested, sign.revocation(attested), provider2)
    newer = make(provider2, nonce=attested.nonce + 1, status=CertStatus.PENDING)

    attest(newer)

    assert certificates.certificate(attested.patent, DOCUMENT) == record(provider2, newer)


def test_revoke__then_same_certificate_resubmitted__reverts_nonce_used(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any
) -> None:
    """A revocation cannot be undone by replaying the certificate's own signatures."""
    _revoke(certificates, attested, sign.revocation(attested), provider)

    with ape.reverts(NONCE_USED):
        certificates.attest(attested.as_arg(), sign.certificate(attested), sender=provider)

    assert certificates.certificate(attested.patent, DOCUMENT)[1] == REVOKED


def test_revoke__proven_certificate__revoked_and_cannot_be_proven_again(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    cert = batch.certs[1]
    certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)

    _revoke(certificates, cert, sign.revocation(cert), provider)

    assert certificates.certificate(cert.patent, DOCUMENT)[1] == REVOKED
    assert certificates.verify_proof(cert.as_arg(), batch.root, batch.proof(cert))
    with ape.reverts(NONCE_USED):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)


def test_revoke__older_revocation_after_newer_certificate__reverts(
    certificates: Any, sign: Sign, attest: Any, attested: certs.Certificate, provider2: Any
) -> None:
    """Signatures revoking nonce 3 do not reach the certificate with nonce 4."""
    old_revocation = sign.revocation(attested)
    newer = make(provider2, nonce=attested.nonce + 1)
    attest(newer)

    with ape.reverts(NO_SUCH):
        _revoke(certificates, attested, old_revocation, provider2)

    assert certificates.certificate(attested.patent, DOCUMENT) == record(provider2, newer)


# --- signatures ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, PARAMS.oracle_threshold - 1])
def test_revoke__fewer_signatures_than_threshold__reverts(
    certificates: Any,
    sign: Sign,
    oracles: list[Any],
    attested: certs.Certificate,
    provider: Any,
    count: int,
) -> None:
    with ape.reverts(TOO_FEW):
        _revoke(certificates, attested, sign.revocation(attested, oracles[:count]), provider)

    assert certificates.certificate(attested.patent, DOCUMENT)[1] == attested.status


def test_revoke__same_oracle_twice__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], attested: certs.Certificate, attacker: Any
) -> None:
    (one,) = sign.revocation(attested, oracles[:1])

    with ape.reverts(DUPLICATE):
        _revoke(certificates, attested, [one, one], attacker)


def test_revoke__signers_descending__reverts(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any
) -> None:
    with ape.reverts(UNORDERED):
        _revoke(certificates, attested, sign.revocation(attested)[::-1], provider)


def test_revoke__signed_by_a_revoked_oracle__reverts(
    certificates: Any,
    sign: Sign,
    pool_alliance: Any,
    pool_council: Any,
    oracles: list[Any],
    attested: certs.Certificate,
    provider: Any,
) -> None:
    signatures = sign.revocation(attested)
    pool_alliance.revoke_role(oracles[0].address, 128, sender=pool_council)

    with ape.reverts(NOT_ORACLE):
        _revoke(certificates, attested, signatures, provider)


def test_revoke__signed_by_attacker_and_an_oracle__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], attested: certs.Certificate, attacker: Any
) -> None:
    with ape.reverts(NOT_ORACLE):
        _revoke(certificates, attested, sign.revocation(attested, [oracles[0], attacker]), attacker)


def test_revoke__high_s_twin__reverts(
    certificates: Any, sign: Sign, attested: certs.Certificate, attacker: Any
) -> None:
    first, second = sign.revocation(attested)

    with ape.reverts(HIGH_S):
        _revoke(certificates, attested, [high_s_twin(first), second], attacker)


def test_revoke__signed_for_another_chain__reverts(
    certificates: Any, sign: Sign, attested: certs.Certificate, provider: Any, elsewhere: Any
) -> None:
    signatures = sign.revocation(attested, domain=elsewhere)

    with ape.reverts(WRONG_SIGNATURE):
        _revoke(certificates, attested, signatures, provider)


def test_revoke__signed_for_another_nonce__reverts(
    certificates: Any, sign: Sign, attested: certs.Certificate, attacker: Any
) -> None:
    signed_for = unchecked(attested, nonce=attested.nonce + 1)

    with ape.reverts(WRONG_SIGNATURE):
        _revoke(certificates, attested, sign.revocation(signed_for), attacker)


def test_revoke__certificate_signatures_as_revocation__reverts(
    certificates: Any, sign: Sign, attested: certs.Certificate, attacker: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        _revoke(certificates, attested, sign.certificate(attested), attacker)


def test_revoke__signed_for_another_deployment__reverts_there(
    chain: Any,
    certificates: Any,
    second_registry: Any,
    sign: Sign,
    provider: Any,
    accept_batch: Callable[..., Batch],
) -> None:
    second = second_registry
    cert = make(provider)
    there = certs.domain(chain.chain_id, str(second.address))
    second.attest(cert.as_arg(), sign.certificate(cert, domain=there), sender=provider)
    certificates.attest(cert.as_arg(), sign.certificate(cert), sender=provider)
    revocation = sign.revocation(cert)
    _revoke(certificates, cert, revocation, provider)

    with ape.reverts(WRONG_SIGNATURE):
        _revoke(second, cert, revocation, provider)

    assert second.certificate(cert.patent, DOCUMENT) == record(provider, cert)
