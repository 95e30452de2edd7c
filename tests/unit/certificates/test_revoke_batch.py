"""Certificates.revoke_batch: the oracle quorum stops further proofs from a root."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from tests.fixtures.pool import DOCUMENT, PARAMS
from tests.unit.certificates.conftest import BATCH_SIZE, Batch, Sign
from tests.unit.certificates.helpers import (
    DUPLICATE,
    HIGH_S,
    NOT_ORACLE,
    ROOT_REVOKED,
    ROOT_STATE_ACCEPTED,
    ROOT_STATE_REVOKED,
    TOO_FEW,
    UNKNOWN_ROOT,
    UNORDERED,
    WRONG_SIGNATURE,
    events,
    high_s_twin,
    record,
)


def test_revoke_batch__accepted_root__revoked_and_logged(
    certificates: Any, sign: Sign, batch: Batch, outsider: Any
) -> None:
    tx = certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=outsider)

    assert certificates.roots(batch.root) == ROOT_STATE_REVOKED
    assert events(tx, certificates) == [certificates.BatchRevoked(root=batch.root)]
    cert = batch.certs[0]
    assert not certificates.verify_proof(cert.as_arg(), batch.root, batch.proof(cert))


def test_revoke_batch__proven_certificates__records_stay(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    proven = batch.certs[:2]
    for cert in proven:
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)

    certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=provider)

    for cert in proven:
        assert certificates.certificate(cert.patent, DOCUMENT) == record(cert.owner, cert)


def test_revoke_batch__unknown_root__reverts(certificates: Any, sign: Sign, provider: Any) -> None:
    root = keccak(b"never accepted")

    with ape.reverts(UNKNOWN_ROOT):
        certificates.revoke_batch(root, sign.batch_revocation(root), sender=provider)


def test_revoke_batch__twice__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    signatures = sign.batch_revocation(batch.root)
    certificates.revoke_batch(batch.root, signatures, sender=provider)

    with ape.reverts(ROOT_REVOKED):
        certificates.revoke_batch(batch.root, signatures, sender=provider)


@pytest.mark.parametrize("count", [0, PARAMS.oracle_threshold - 1])
def test_revoke_batch__fewer_signatures_than_threshold__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], batch: Batch, provider: Any, count: int
) -> None:
    with ape.reverts(TOO_FEW):
        certificates.revoke_batch(
            batch.root, sign.batch_revocation(batch.root, oracles[:count]), sender=provider
        )

    assert certificates.roots(batch.root) == ROOT_STATE_ACCEPTED


def test_revoke_batch__same_oracle_twice__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], batch: Batch, provider: Any
) -> None:
    (one,) = sign.batch_revocation(batch.root, oracles[:1])

    with ape.reverts(DUPLICATE):
        certificates.revoke_batch(batch.root, [one, one], sender=provider)


def test_revoke_batch__signers_descending__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    with ape.reverts(UNORDERED):
        certificates.revoke_batch(
            batch.root, sign.batch_revocation(batch.root)[::-1], sender=provider
        )


def test_revoke_batch__signed_by_an_outsider__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], batch: Batch, outsider: Any
) -> None:
    with ape.reverts(NOT_ORACLE):
        certificates.revoke_batch(
            batch.root, sign.batch_revocation(batch.root, [oracles[2], outsider]), sender=outsider
        )


def test_revoke_batch__high_s_twin__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    first, second = sign.batch_revocation(batch.root)

    with ape.reverts(HIGH_S):
        certificates.revoke_batch(batch.root, [first, high_s_twin(second)], sender=provider)


def test_revoke_batch__signed_for_another_root__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        certificates.revoke_batch(
            batch.root, sign.batch_revocation(keccak(batch.root)), sender=provider
        )


def test_revoke_batch__signed_for_another_chain__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any, elsewhere: Any
) -> None:
    signatures = sign.batch_revocation(batch.root, domain=elsewhere)

    with ape.reverts(WRONG_SIGNATURE):
        certificates.revoke_batch(batch.root, signatures, sender=provider)


def test_revoke_batch__acceptance_signatures_as_revocation__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        certificates.revoke_batch(batch.root, sign.batch(batch.root, BATCH_SIZE), sender=provider)
