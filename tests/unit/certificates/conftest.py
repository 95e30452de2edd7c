"""Fixtures for the Certificates unit tests.

`certificates` is the pool's registry (tests/fixtures/pool.py): threshold 2, the
three `oracles` hold the oracle role in `pool_alliance`, `pool_council` owns it.
`sign` makes the oracles' signatures, in the order the contract wants, for this
deployment's domain unless another domain is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core import eip712
from bpsa.core.certificates import Certificate, MerkleTree
from tests.fixtures.pool import PARAMS
from tests.unit.certificates.helpers import Quorum, make, unchecked

Signers = Iterable[Any] | None  # None: the first `oracle_threshold` oracles
Dom = eip712.Domain | None  # None: this deployment's domain


@dataclass
class Sign:
    """The oracles' signatures over each message Certificates takes."""

    domain: eip712.Domain
    oracles: list[Any]

    def _quorum(
        self,
        sign_one: Callable[[eip712.Domain, bytes], Any],
        signers: Signers,
        domain: eip712.Domain | None,
    ) -> Quorum:
        who = self.oracles[: PARAMS.oracle_threshold] if signers is None else list(signers)
        return certs.quorum(sign_one(domain or self.domain, s.private_key) for s in who)

    def certificate(self, cert: Certificate, signers: Signers = None, domain: Dom = None) -> Quorum:
        return self._quorum(lambda d, k: certs.sign_certificate(d, cert, k), signers, domain)

    def batch(self, root: bytes, count: int, signers: Signers = None, domain: Dom = None) -> Quorum:
        return self._quorum(lambda d, k: certs.sign_batch(d, root, count, k), signers, domain)

    def revocation(self, cert: Certificate, signers: Signers = None, domain: Dom = None) -> Quorum:
        return self._quorum(lambda d, k: certs.sign_revocation(d, cert, k), signers, domain)

    def batch_revocation(self, root: bytes, signers: Signers = None, domain: Dom = None) -> Quorum:
        return self._quorum(lambda d, k: certs.sign_batch_revocation(d, root, k), signers, domain)


@pytest.fixture(scope="session")
def sign(cert_domain: eip712.Domain, oracles: list[Any]) -> Sign:
    return Sign(cert_domain, oracles)


@pytest.fixture(scope="session")
def elsewhere(chain: Any, certificates: Any) -> eip712.Domain:
    """This registry's EIP-712 domain on another chain: what it signs must not count here."""
    return certs.domain(chain.chain_id + 1, str(certificates.address))


@pytest.fixture
def second_registry(project: Any, deployer: Any, pool_alliance: Any, pool_council: Any) -> Any:
    """A second Certificates deployment (same alliance, owner and threshold): another domain."""
    return project.Certificates.deploy(
        pool_alliance.address, pool_council.address, PARAMS.oracle_threshold, sender=deployer
    )


@pytest.fixture
def attest(certificates: Any, sign: Sign, provider: Any) -> Callable[..., Any]:
    """`attest(cert)`: the first two oracles sign `cert` and the provider submits it."""

    def _attest(cert: Certificate, signers: Iterable[Any] | None = None) -> Any:
        return certificates.attest(cert.as_arg(), sign.certificate(cert, signers), sender=provider)

    return _attest


@dataclass
class Batch:
    """A batch of certificates, its tree and the receipt that accepted its root."""

    certs: list[Certificate]
    tree: MerkleTree
    tx: Any

    @property
    def root(self) -> bytes:
        return self.tree.root

    def proof(self, cert: Certificate) -> list[bytes]:
        return self.tree.proof(cert.leaf())


BATCH_SIZE = 5


@pytest.fixture
def batch_certs(provider: Any, provider2: Any) -> list[Certificate]:
    """Five certificates of five patents, two owners, statuses and expiries varied."""
    owners = [provider, provider2]
    return [
        make(owners[i % 2], nonce=i + 1, number=f"1000000{i}", expiry=1_900_000_000 + i)
        for i in range(BATCH_SIZE)
    ]


@pytest.fixture
def accept_batch(certificates: Any, sign: Sign, provider: Any) -> Callable[..., Batch]:
    """`accept_batch(certs)`: build the tree, have two oracles sign its root, accept it."""

    def _accept(batch: list[Certificate]) -> Batch:
        tree = MerkleTree([c.leaf() for c in batch])
        tx = certificates.attest_batch(
            tree.root, len(batch), sign.batch(tree.root, len(batch)), sender=provider
        )
        return Batch(batch, tree, tx)

    return _accept


@pytest.fixture
def batch(accept_batch: Callable[..., Batch], batch_certs: list[Certificate]) -> Batch:
    """An accepted batch of five certificates, none proven yet."""
    return accept_batch(batch_certs)


BadBatch = Callable[..., tuple[Certificate, Certificate, Batch]]


@pytest.fixture
def with_a_bad_leaf(accept_batch: Callable[..., Batch], provider: Any) -> BadBatch:
    """`with_a_bad_leaf(**fields)`: an accepted batch of two of the provider's patents, a
    good certificate and one with `fields` set past the Python side's checks; returns
    (good, bad, batch). A root says nothing about its leaves' fields: the contract must
    check each when it stores it."""

    def _accept(**fields: Any) -> tuple[Certificate, Certificate, Batch]:
        good = make(provider, number="10000001")
        bad = unchecked(make(provider, number="10000002"), **fields)
        return good, bad, accept_batch([good, bad])

    return _accept


Superseded = tuple[Certificate, Certificate]


@pytest.fixture
def superseded(batch: Batch, attest: Callable[..., Any], provider: Any) -> Superseded:
    """(a certificate of `batch`, not proven, and a newer one for the same patent, attested
    on its own): proving the batch's one afterwards must not roll the record back."""
    cert = batch.certs[2]
    newer = make(provider, nonce=cert.nonce + 1, number=cert.number)
    attest(newer)
    return cert, newer
