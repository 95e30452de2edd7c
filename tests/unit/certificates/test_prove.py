"""Certificates.prove: one certificate of an accepted batch enters the registry."""

from collections.abc import Callable
from typing import Any

import ape

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from tests.fixtures.pool import DOCUMENT
from tests.unit.certificates.conftest import BadBatch, Batch, Sign, Superseded
from tests.unit.certificates.helpers import (
    BAD_PROOF,
    FIELD_CHANGES,
    NONCE_USED,
    ROOT_REVOKED,
    UNKNOWN_ROOT,
    ZERO,
    changed,
    events,
    make,
    proven,
    record,
)


def test_prove__every_certificate_of_the_batch__recorded_and_logged(
    certificates: Any, batch: Batch, outsider: Any
) -> None:
    """Anyone may prove; the five-leaf tree is complete, not perfect (leaves at two depths)."""
    for cert in batch.certs:
        tx = certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=outsider)

        assert certificates.certificate(cert.patent, DOCUMENT) == record(cert.owner, cert)
        assert events(tx, certificates) == proven(certificates, cert, batch.root)


def test_prove__single_leaf_tree__empty_proof_accepted(
    certificates: Any, accept_batch: Callable[..., Batch], provider: Any
) -> None:
    cert = make(provider)
    single = accept_batch([cert])
    assert single.root == cert.leaf()
    assert single.proof(cert) == []

    certificates.prove(cert.as_arg(), single.root, [], sender=provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, cert)


def test_prove__twice__reverts_nonce_used(certificates: Any, batch: Batch, provider: Any) -> None:
    cert = batch.certs[0]
    certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)

    with ape.reverts(NONCE_USED):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)


def test_prove__older_nonce_than_attested__reverts_and_keeps_newer(
    certificates: Any, batch: Batch, superseded: Superseded, provider: Any
) -> None:
    cert, newer = superseded

    with ape.reverts(NONCE_USED):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert), sender=provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, newer)


def test_prove__another_certificates_proof__reverts(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    cert, other = batch.certs[0], batch.certs[1]
    assert batch.proof(cert) != batch.proof(other)

    with ape.reverts(BAD_PROOF):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(other), sender=provider)


def test_prove__empty_proof_in_a_larger_tree__reverts(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    with ape.reverts(BAD_PROOF):
        certificates.prove(batch.certs[0].as_arg(), batch.root, [], sender=provider)


def test_prove__truncated_proof__reverts(certificates: Any, batch: Batch, provider: Any) -> None:
    cert = batch.certs[0]

    with ape.reverts(BAD_PROOF):
        certificates.prove(cert.as_arg(), batch.root, batch.proof(cert)[:-1], sender=provider)


def test_prove__certificate_not_in_the_tree__reverts(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    outside = make(provider, nonce=1, number="99999999")

    with ape.reverts(BAD_PROOF):
        certificates.prove(
            outside.as_arg(), batch.root, batch.proof(batch.certs[0]), sender=provider
        )

    assert certificates.certificate(outside.patent, DOCUMENT) == (ZERO, 0, 0, 0)


@FIELD_CHANGES
def test_prove__field_changed_from_the_batch__reverts(
    certificates: Any, batch: Batch, attacker: Any, field: str, value: Any
) -> None:
    cert = batch.certs[0]
    tampered = changed(cert, field, value, attacker)

    with ape.reverts(BAD_PROOF):
        certificates.prove(tampered.as_arg(), batch.root, batch.proof(cert), sender=attacker)


def test_prove__unknown_root__reverts(
    certificates: Any, batch_certs: list[Any], provider: Any
) -> None:
    """A tree built but never signed: its root is unknown."""
    tree = certs.MerkleTree([c.leaf() for c in batch_certs])
    cert = batch_certs[0]

    with ape.reverts(UNKNOWN_ROOT):
        certificates.prove(cert.as_arg(), tree.root, tree.proof(cert.leaf()), sender=provider)


def test_prove__revoked_root__reverts_and_proven_records_stay(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    proven, pending = batch.certs[0], batch.certs[1]
    certificates.prove(proven.as_arg(), batch.root, batch.proof(proven), sender=provider)
    certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=provider)

    with ape.reverts(ROOT_REVOKED):
        certificates.prove(pending.as_arg(), batch.root, batch.proof(pending), sender=provider)

    assert certificates.certificate(proven.patent, DOCUMENT) == record(proven.owner, proven)
    assert certificates.certificate(pending.patent, DOCUMENT) == (ZERO, 0, 0, 0)


def test_prove__batch_certificate_with_status_out_of_range__reverts(
    certificates: Any, with_a_bad_leaf: BadBatch, provider: Any
) -> None:
    """A root says nothing about its leaves' fields: each is checked when proven."""
    good, bad, both = with_a_bad_leaf(status=CertStatus.REVOKED)

    with ape.reverts("certificates: status out of range"):
        certificates.prove(bad.as_arg(), both.root, both.proof(bad), sender=provider)

    certificates.prove(good.as_arg(), both.root, both.proof(good), sender=provider)
    assert certificates.certificate(good.patent, DOCUMENT) == record(provider, good)
