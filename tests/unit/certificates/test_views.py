"""Certificates views: certificate, verify_proof, certificate_hash, patent_id, eip712Domain."""

from collections.abc import Callable
from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import certificates as certs
from bpsa.core import eip712
from bpsa.core.codes import CertStatus
from tests.fixtures.pool import DOCUMENT, PARAMS
from tests.unit.certificates.conftest import Batch, Sign
from tests.unit.certificates.helpers import (
    OTHER_DOCUMENT,
    ROOT_STATE_UNKNOWN,
    WELL_FORMED_KEYS,
    ZERO,
    make,
    unchecked,
)

# --- certificate ---------------------------------------------------------------------------


def test_certificate__never_attested__all_zero(certificates: Any) -> None:
    assert certificates.certificate(certs.patent_id("US", "11234567"), DOCUMENT) == (
        ZERO,
        0,
        0,
        0,
    )
    assert certificates.certificate(bytes(32), bytes(32)) == (ZERO, 0, 0, 0)


def test_certificate__attested__keyed_by_patent_and_document(
    certificates: Any, attest: Any, provider: Any
) -> None:
    cert = make(provider, nonce=4, status=CertStatus.LAPSED, expiry=1_700_000_000)
    attest(cert)

    assert certificates.certificate(cert.patent, DOCUMENT) == (
        provider.address,
        CertStatus.LAPSED,
        1_700_000_000,
        4,
    )
    assert certificates.certificate(cert.patent, OTHER_DOCUMENT) == (ZERO, 0, 0, 0)
    assert certificates.certificate(certs.patent_id("EP", "11234567"), DOCUMENT) == (
        ZERO,
        0,
        0,
        0,
    )


# --- certificate_hash and patent_id --------------------------------------------------------

HASH_CASES = [
    ("US", "11234567", DOCUMENT, CertStatus.IN_FORCE, 1, 1),
    ("CN", "ZL201810123456.7", OTHER_DOCUMENT, CertStatus.INVALIDATED, 2**40 - 1, 2**48 - 1),
    ("WO", "2019/123456", bytes.fromhex("01" * 32), CertStatus.PENDING, 1_900_000_000, 77),
    ("EP", "A" * 32, bytes.fromhex("ff" * 32), CertStatus.LAPSED, 2_000_000_000, 2**24),
]


@pytest.mark.parametrize(
    ("office", "number", "document", "status", "expiry", "nonce"),
    HASH_CASES,
    ids=["US", "CN_max_fields", "WO_slash", "EP_32_chars"],
)
def test_certificate_hash__valid_certificate__matches_python_struct_hash(
    certificates: Any,
    provider: Any,
    office: str,
    number: str,
    document: bytes,
    status: CertStatus,
    expiry: int,
    nonce: int,
) -> None:
    cert = certs.Certificate(office, number, document, provider.address, status, expiry, nonce)

    assert certificates.certificate_hash(cert.as_arg()) == cert.struct_hash()


def test_certificate_hash__each_field__changes_the_hash(
    certificates: Any, provider: Any, provider2: Any
) -> None:
    cert = make(provider)
    variants = [
        unchecked(cert, office="EP"),
        unchecked(cert, number="11234568"),
        unchecked(cert, document=OTHER_DOCUMENT),
        unchecked(cert, owner=provider2.address),
        unchecked(cert, status=CertStatus.PENDING),
        unchecked(cert, expiry=cert.expiry + 1),
        unchecked(cert, nonce=cert.nonce + 1),
    ]
    hashes = {bytes(certificates.certificate_hash(c.as_arg())) for c in [cert, *variants]}

    assert len(hashes) == len(variants) + 1


@pytest.mark.parametrize(("office", "number"), WELL_FORMED_KEYS)
def test_patent_id__well_formed_key__matches_python_patent_id(
    certificates: Any, office: str, number: str
) -> None:
    assert certificates.patent_id(office, number) == certs.patent_id(office, number)


def test_patent_id__office_and_number_boundary__distinct_ids(certificates: Any) -> None:
    """The office is always two characters, so moving a character across differs."""
    assert certificates.patent_id("US", "11") != certificates.patent_id("EP", "11")
    assert certificates.patent_id("US", "11") != certificates.patent_id("US", "111")


# --- verify_proof --------------------------------------------------------------------------


def test_verify_proof__every_certificate_of_an_accepted_batch__true(
    certificates: Any, batch: Batch
) -> None:
    for cert in batch.certs:
        assert certificates.verify_proof(cert.as_arg(), batch.root, batch.proof(cert))


@pytest.mark.parametrize("size", [2, 3, 4, 7, 8, 9, 17])
def test_verify_proof__python_tree_of_each_shape__every_leaf_true(
    certificates: Any, accept_batch: Callable[..., Batch], provider: Any, size: int
) -> None:
    """Python's tree (sorted pairs, odd node promoted) agrees with snekmate's verifier."""
    tree = accept_batch([make(provider, number=f"2000{i:04d}") for i in range(size)])

    for cert in tree.certs:
        assert certificates.verify_proof(cert.as_arg(), tree.root, tree.proof(cert))


def test_verify_proof__wrong_proof_or_foreign_certificate__false(
    certificates: Any, batch: Batch, provider: Any, attacker: Any
) -> None:
    first, second = batch.certs[0], batch.certs[1]
    outside = make(provider, number="99999999")

    assert not certificates.verify_proof(first.as_arg(), batch.root, batch.proof(second))
    assert not certificates.verify_proof(first.as_arg(), batch.root, [])
    assert not certificates.verify_proof(outside.as_arg(), batch.root, batch.proof(first))
    tampered = unchecked(first, owner=attacker.address)
    assert not certificates.verify_proof(tampered.as_arg(), batch.root, batch.proof(first))


def test_verify_proof__unknown_root__false(certificates: Any, batch_certs: list[Any]) -> None:
    tree = certs.MerkleTree([c.leaf() for c in batch_certs])
    cert = batch_certs[0]

    assert certificates.roots(tree.root) == ROOT_STATE_UNKNOWN
    assert certs.verify(tree.proof(cert.leaf()), tree.root, cert.leaf())
    assert not certificates.verify_proof(cert.as_arg(), tree.root, tree.proof(cert.leaf()))


def test_verify_proof__revoked_root__false(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    cert = batch.certs[0]
    assert certificates.verify_proof(cert.as_arg(), batch.root, batch.proof(cert))

    certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=provider)

    assert not certificates.verify_proof(cert.as_arg(), batch.root, batch.proof(cert))


def test_verify_proof__single_leaf_tree__empty_proof_true(
    certificates: Any, accept_batch: Callable[..., Batch], provider: Any
) -> None:
    cert = make(provider)
    single = accept_batch([cert])

    assert certificates.verify_proof(cert.as_arg(), single.root, [])
    assert not certificates.verify_proof(cert.as_arg(), single.root, [keccak(b"x")])


def test_verify_proof__root_is_the_single_hashed_struct__false(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    """A leaf is keccak256 of the struct hash: a root signed over the bare struct hash
    (a single-hashed leaf) proves nothing."""
    cert = make(provider)
    root = cert.struct_hash()
    certificates.attest_batch(root, 1, sign.batch(root, 1), sender=provider)

    assert not certificates.verify_proof(cert.as_arg(), root, [])
    assert keccak(certificates.certificate_hash(cert.as_arg())) == cert.leaf()


# --- eip712Domain and plain getters --------------------------------------------------------


def test_eip712_domain__deployed__names_this_contract_on_this_chain(
    chain: Any, certificates: Any, cert_domain: eip712.Domain
) -> None:
    fields, name, version, chain_id, contract, salt, extensions = certificates.eip712Domain()

    assert fields == b"\x0f"
    assert (
        (name, version) == (certs.DOMAIN_NAME, certs.DOMAIN_VERSION) == ("BPSA Certificates", "1")
    )
    assert chain_id == chain.chain_id == cert_domain.chain_id
    assert contract == certificates.address == cert_domain.verifying_contract
    assert salt == bytes(32)
    assert extensions == []


def test_getters__deployed_pool__alliance_owner_threshold(
    certificates: Any, pool_alliance: Any, pool_council: Any
) -> None:
    assert certificates.ALLIANCE() == pool_alliance.address
    assert certificates.owner() == pool_council.address
    assert certificates.threshold() == PARAMS.oracle_threshold
    assert certificates.roots(keccak(b"nothing")) == ROOT_STATE_UNKNOWN
