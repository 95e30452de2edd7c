"""Helpers shared by the Certificates unit tests: certificates, reasons, forged signatures."""

from __future__ import annotations

from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from bpsa.core.eip712 import SECP256K1_N
from tests.fixtures.pool import DOCUMENT

ZERO = "0x" + "00" * 20
OFFICE = "US"
NUMBER = "11234567"
OTHER_DOCUMENT = bytes.fromhex("d1" * 32)
EXPIRY = 2_000_000_000  # 2033-05-18

NOT_OWNER = "ownable: caller is not the owner"
TOO_FEW = "certificates: fewer signatures than the threshold"
DUPLICATE = "certificates: duplicate signer"
UNORDERED = "certificates: signers must be in ascending order"
NOT_ORACLE = "certificates: signer is not an oracle"
WRONG_SIGNATURE = "certificates: signature is not its signer's for this chain, contract and content"
HIGH_S = "ecdsa: invalid signature `s` value"
BAD_SIGNATURE = "ecdsa: invalid signature"
NONCE_USED = "certificates: nonce already used"
ROOT_USED = "certificates: root already used"
UNKNOWN_ROOT = "certificates: unknown batch root"
ROOT_REVOKED = "certificates: batch revoked"
BAD_PROOF = "certificates: proof does not match the root"
NO_SUCH = "certificates: no such certificate"
ALREADY_REVOKED = "certificates: already revoked"
BAD_THRESHOLD = "certificates: threshold must be 1 to 16"

ROOT_STATE_UNKNOWN, ROOT_STATE_ACCEPTED, ROOT_STATE_REVOKED = 0, 1, 2

Quorum = list[tuple[str, int, bytes, bytes]]


def address(actor: Any) -> str:
    return str(getattr(actor, "address", actor))


def make(
    owner: Any,
    nonce: int = 1,
    *,
    number: str = NUMBER,
    office: str = OFFICE,
    document: bytes = DOCUMENT,
    status: CertStatus = CertStatus.IN_FORCE,
    expiry: int = EXPIRY,
) -> certs.Certificate:
    """A certificate for (office, number, document) naming `owner`."""
    return certs.Certificate(office, number, document, address(owner), status, expiry, nonce)


def record(owner: Any, cert: certs.Certificate, status: int | None = None) -> tuple[Any, ...]:
    """What `certificate(patent, document)` returns for `cert` (status overridable)."""
    return (
        address(owner),
        int(cert.status) if status is None else status,
        cert.expiry,
        cert.nonce,
    )


def high_s_twin(sig: tuple[str, int, bytes, bytes]) -> tuple[str, int, bytes, bytes]:
    """The same signature with s' = n - s and v flipped: recovers the same signer."""
    signer, v, r, s = sig
    twin_s = SECP256K1_N - int.from_bytes(s, "big")
    return (signer, 55 - v, r, twin_s.to_bytes(32, "big"))


def events(tx: Any, contract: Any) -> list[Any]:
    """The logs `contract` emitted in `tx`, in order."""
    return [log for log in tx.events if log.contract_address == contract.address]


def unchecked(cert: certs.Certificate, **fields: Any) -> certs.Certificate:
    """A copy of `cert` with `fields` set past the dataclass's checks (values the
    Python side refuses but the contract must refuse too)."""
    copy = certs.Certificate(
        cert.office, cert.number, cert.document, cert.owner, cert.status, cert.expiry, cert.nonce
    )
    for name, value in fields.items():
        object.__setattr__(copy, name, value)
    return copy


def proven(certificates: Any, cert: certs.Certificate, root: bytes) -> list[Any]:
    """The logs of `cert` proven from the batch with `root` (by `prove` or `prove_many`):
    its record accepted, then the proof."""
    return [
        certificates.CertificateAccepted(
            patent=cert.patent,
            owner=cert.owner,
            document=DOCUMENT,
            status=int(cert.status),
            expiry=cert.expiry,
            nonce=cert.nonce,
        ),
        certificates.CertificateProven(patent=cert.patent, root=root),
    ]


# Each field of a batch's certificate changed after signing ("attacker": the attacker's
# address as owner): a proof of the changed certificate must fail at the root.
FIELD_CHANGES = pytest.mark.parametrize(
    ("field", "value"),
    [("owner", "attacker"), ("expiry", 2**40 - 1), ("status", CertStatus.LAPSED), ("nonce", 99)],
    ids=lambda v: v if isinstance(v, str) else None,
)


def changed(cert: certs.Certificate, field: str, value: Any, attacker: Any) -> certs.Certificate:
    """`cert` with one of FIELD_CHANGES applied."""
    return unchecked(cert, **{field: attacker.address if value == "attacker" else value})


# Patent keys both the contract's `patent_key` and `bpsa.core.certificates.check_key` accept.
WELL_FORMED_KEYS = [
    ("US", "11234567"),
    ("CN", "ZL201810123456.7"),
    ("WO", "2019/123456"),
    ("EP", "1-2.3/4"),
    ("JP", "0"),
    ("JP", "9" * 32),
    ("KR", "A" * 32),
]

NO_CERTIFICATES = "certificates: no certificates to prove"
FLAG_COUNT = "certificates: a multi-proof has one flag per certificate and proof node, less one"
MERGE_COUNT = "certificates: a multi-proof's flags merge its certificates count - 1 times"
UNORDERED_LEAVES = "certificates: certificates must come in ascending leaf order, each once"
BAD_MULTI_PROOF = "certificates: multi-proof does not match the root"


def multi_args(
    tree: certs.MerkleTree, chosen: list[certs.Certificate]
) -> tuple[list[Any], bytes, list[bytes], list[bool]]:
    """`prove_many`'s arguments for `chosen` of `tree`'s certificates, in leaf order."""
    mp = tree.multiproof(c.leaf() for c in chosen)
    by_leaf = {c.leaf(): c for c in chosen}
    return [by_leaf[leaf].as_arg() for leaf in mp.leaves], tree.root, mp.proof, mp.flags
