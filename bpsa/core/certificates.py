"""Patent keys and oracle certificates, as `Certificates.vy` checks them. Pure: no chain.

A certificate is EIP-712 typed data signed by M oracles. One certificate goes on
chain with its signatures (`attest`); many go as the Merkle root of their leaves
(`attest_batch`), each then proven on its own (`prove`). A leaf is keccak256 of the
certificate's struct hash; pairs hash sorted, as snekmate's (and OpenZeppelin's)
proof verification expects.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NewType

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core import eip712, merkle
from bpsa.core.codes import CertStatus
from bpsa.core.errors import InputError

PatentId = NewType("PatentId", bytes)

DOMAIN_NAME = "BPSA Certificates"
DOMAIN_VERSION = "1"
MAX_SIGNATURES = 16

_OFFICE = re.compile(r"[A-Z]{2}")
_NUMBER_CHARS = re.compile(r"[0-9A-Z./-]*")


def check_key(office: str, number: str) -> None:
    """Raise `InputError` with the reason PatentPool would give for a malformed key."""
    if not _OFFICE.fullmatch(office):
        raise InputError(f"office code {office!r} must be two capital letters (e.g. US, EP, CN)")
    if not number:
        raise InputError("patent number is empty")
    if len(number.encode()) > 32:  # the contract counts UTF-8 bytes
        raise InputError(f"patent number {number!r} is longer than 32 characters")
    if not number[0].isascii() or not number[0].isalnum() or number[0].islower():
        raise InputError(f"patent number {number!r} must start with a letter or digit")
    if not _NUMBER_CHARS.fullmatch(number):
        raise InputError(f"patent number {number!r} may hold only 0-9, A-Z, '.', '/' and '-'")


def patent_id(office: str, number: str) -> PatentId:
    """The registry id: keccak256(abi_encode(office, number)), as `patent_key.vy` computes
    it (each string length-prefixed, so no two keys share an id)."""
    check_key(office, number)
    return PatentId(keccak(encode(["string", "string"], [office, number])))


# The signing domain of one Certificates deployment: domain(chain_id, address).
domain = eip712.domain_for(DOMAIN_NAME, DOMAIN_VERSION)


@dataclass(frozen=True)
class Certificate(eip712.Typed):
    """What the oracles attest about one patent."""

    STRUCT: ClassVar[eip712.Struct] = eip712.CERTIFICATE

    office: str
    number: str
    document: bytes  # sha2-256 digest of the document's CID
    owner: str
    status: CertStatus
    expiry: int  # unix seconds: the next maintenance-fee date (fee unpaid: its due date)
    nonce: int

    def __post_init__(self) -> None:
        check_key(self.office, self.number)
        if len(self.document) != 32:
            raise InputError(f"document digest must be 32 bytes, got {len(self.document)}")
        if self.document == bytes(32):
            raise InputError("document digest is all zero")
        if not CertStatus.IN_FORCE <= self.status <= CertStatus.FEE_UNPAID:
            raise InputError(
                f"status {self.status!r} cannot be attested (revoked is set by revoke)"
            )
        if int(self.owner, 16) == 0:
            raise InputError("owner is the zero address")
        if not 0 < self.expiry < 2**40:
            raise InputError(f"expiry {self.expiry} is not a unix time in uint40")
        if not 0 < self.nonce < 2**48:
            raise InputError(f"nonce {self.nonce} must be 1 to 2^48-1")

    @property
    def patent(self) -> PatentId:
        return patent_id(self.office, self.number)

    def leaf(self) -> bytes:
        return keccak(self.struct_hash())


@dataclass(frozen=True)
class Signature:
    """One oracle's signature as the contract takes it (signer named explicitly)."""

    signer: str
    v: int
    r: bytes
    s: bytes

    @classmethod
    def from_bytes(cls, signer: str, signature: bytes) -> Signature:
        if len(signature) != 65:
            raise InputError(f"signature must be 65 bytes, got {len(signature)}")
        return cls(signer, signature[64], signature[:32], signature[32:64])

    def as_arg(self) -> tuple[str, int, bytes, bytes]:
        return (self.signer, self.v, self.r, self.s)


def _sign(full: dict[str, Any], key: bytes | str) -> Signature:
    from eth_account import Account

    signer = Account.from_key(key).address
    return Signature.from_bytes(signer, eip712.sign(full, key))


def sign_certificate(dom: eip712.Domain, cert: Certificate, key: bytes | str) -> Signature:
    return _sign(cert.typed(dom), key)


def sign_batch(dom: eip712.Domain, root: bytes, count: int, key: bytes | str) -> Signature:
    return _sign(eip712.CERTIFICATE_BATCH.typed(dom, {"root": root, "count": count}), key)


def sign_revocation(dom: eip712.Domain, cert: Certificate, key: bytes | str) -> Signature:
    msg = {
        "office": cert.office,
        "number": cert.number,
        "document": cert.document,
        "nonce": cert.nonce,
    }
    return _sign(eip712.REVOCATION.typed(dom, msg), key)


def sign_batch_revocation(dom: eip712.Domain, root: bytes, key: bytes | str) -> Signature:
    return _sign(eip712.BATCH_REVOCATION.typed(dom, {"root": root}), key)


def quorum(signatures: Iterable[Signature]) -> list[tuple[str, int, bytes, bytes]]:
    """Signatures in the order the contract wants: signers strictly ascending."""
    ordered = sorted(signatures, key=lambda s: int(s.signer, 16))
    for a, b in itertools.pairwise(ordered):
        if int(a.signer, 16) == int(b.signer, 16):
            raise InputError(f"{a.signer} signed twice; each oracle counts once")
    if len(ordered) > MAX_SIGNATURES:
        raise InputError(f"at most {MAX_SIGNATURES} signatures fit one call, got {len(ordered)}")
    return [s.as_arg() for s in ordered]


class MerkleTree(merkle.MerkleTree):
    """A Merkle tree over certificate leaves (`bpsa.core.merkle`: sorted pairs, odd
    nodes promoted), the tree `Certificates.vy` checks proofs against."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        super().__init__(leaves, item="certificate")


verify = merkle.verify


def to_json(cert: Certificate) -> dict[str, Any]:
    """A certificate as JSON-friendly data (hex for bytes, a label for the status)."""
    return {
        "office": cert.office,
        "number": cert.number,
        "document": "0x" + cert.document.hex(),
        "owner": cert.owner,
        "status": cert.status.name.lower().replace("_", "-"),
        "expiry": cert.expiry,
        "nonce": cert.nonce,
    }


def from_json(data: dict[str, Any]) -> Certificate:
    """The inverse of `to_json`; every field is checked and a missing one is named.
    The document may be a CID or a 0x digest."""
    from bpsa.core.cid import digest_of
    from bpsa.core.codes import parse_cert_status

    fields = ("office", "number", "document", "owner", "status", "expiry", "nonce")
    missing = [f for f in fields if f not in data]
    if missing:
        raise InputError(f"certificate lacks {', '.join(missing)}")
    digest = digest_of(str(data["document"]))
    try:
        expiry, nonce = int(data["expiry"]), int(data["nonce"])
    except (ValueError, TypeError) as exc:
        raise InputError(f"certificate field is malformed: {exc}") from None
    return Certificate(
        str(data["office"]),
        str(data["number"]),
        digest,
        str(data["owner"]),
        parse_cert_status(str(data["status"])),
        expiry,
        nonce,
    )
