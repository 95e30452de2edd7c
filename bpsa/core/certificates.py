"""Patent keys and oracle certificates, as `Certificates.vy` checks them. Pure: no chain.

A certificate is EIP-712 typed data signed by M oracles. One certificate goes on
chain with its signatures (`attest`); many go as the Merkle root of their leaves
(`attest_batch`), then proven one by one (`prove`) or many in one transaction with a
multi-proof (`prove_many`). A leaf is keccak256 of the certificate's struct hash; pairs
hash sorted, and the tree is complete (OpenZeppelin's StandardMerkleTree layout), as
snekmate's (and OpenZeppelin's) single and multi-proof verification expect.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
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


@dataclass(frozen=True)
class MultiProof:
    """What `prove_many` takes besides the certificates: the leaves it proves (ascending,
    the order the certificates go in), the sibling nodes from outside the set, and one
    flag per hash (true: merge two nodes of the set; false: take the next proof node)."""

    leaves: list[bytes]
    proof: list[bytes]
    flags: list[bool]


# What `prove_many` takes at most per call (snekmate's arrays are bounded by a uint8).
MAX_MULTI_PROOF = 255


class MerkleTree:
    """A complete binary tree over distinct certificate leaves, as an array
    (OpenZeppelin's StandardMerkleTree layout): node i has children 2i+1 and 2i+2, the
    n leaves sorted ascending fill positions 2n-2 down to n-1, pairs hash sorted. Any
    subset of its leaves has a multi-proof (`multiproof`), and each leaf a proof of at
    most ceil(log2 n) siblings (`proof`), both what `Certificates.vy` checks."""

    def __init__(self, leaves: Sequence[bytes], item: str = "certificate") -> None:
        if not leaves:
            raise InputError(f"a batch needs at least one {item}")
        ordered = sorted(leaves)
        n = len(ordered)
        self._position = {leaf: 2 * n - 2 - i for i, leaf in enumerate(ordered)}
        if len(self._position) != n:
            raise InputError(f"a batch holds the same {item} twice")
        nodes = [b""] * (2 * n - 1)
        for leaf, position in self._position.items():
            nodes[position] = leaf
        for i in range(n - 2, -1, -1):
            nodes[i] = merkle.hash_pair(nodes[2 * i + 1], nodes[2 * i + 2])
        self._nodes = nodes
        self.leaves = ordered  # ascending: the order `prove_many` takes them in

    @property
    def root(self) -> bytes:
        return self._nodes[0]

    def __len__(self) -> int:
        return len(self.leaves)

    def _at(self, leaf: bytes) -> int:
        if leaf not in self._position:
            raise InputError("that certificate is not in this batch")
        return self._position[leaf]

    def proof(self, leaf: bytes) -> list[bytes]:
        """The siblings from `leaf` up to the root."""
        i, out = self._at(leaf), []
        while i > 0:
            out.append(self._nodes[_sibling(i)])
            i = (i - 1) // 2
        return out

    def multiproof(self, leaves: Iterable[bytes]) -> MultiProof:
        """The multi-proof of `leaves` (any non-empty subset, in any order; each once)."""
        wanted = list(leaves)
        if not wanted:
            raise InputError("a multi-proof needs at least one certificate")
        positions = sorted({self._at(leaf) for leaf in wanted}, reverse=True)
        if len(positions) != len(wanted):
            raise InputError("the same certificate is asked for twice")
        queue, proof, flags = deque(positions), [], []
        while queue[0] > 0:  # the root (position 0) comes out last
            i = queue.popleft()
            sibling = _sibling(i)
            if queue and queue[0] == sibling:
                flags.append(True)
                queue.popleft()
            else:
                flags.append(False)
                proof.append(self._nodes[sibling])
            queue.append((i - 1) // 2)
        return MultiProof([self._nodes[i] for i in positions], proof, flags)


def multiproof_chunks(
    tree: MerkleTree, leaves: Iterable[bytes], most: int = MAX_MULTI_PROOF
) -> list[MultiProof]:
    """`leaves` of `tree` split into multi-proofs of at most `most` certificates each,
    neighbours in the tree together (so each needs few proof nodes), every one within
    `prove_many`'s bound of 255 flags."""
    if not 1 <= most <= MAX_MULTI_PROOF:
        raise InputError(f"a multi-proof holds 1 to {MAX_MULTI_PROOF} certificates, not {most}")
    todo = sorted(set(leaves), key=tree._at, reverse=True)  # the tree's leaf order
    out = []
    while todo:
        take = min(most, len(todo))
        mp = tree.multiproof(todo[:take])
        while len(mp.flags) > MAX_MULTI_PROOF:  # proof nodes count against the flags too
            take -= len(mp.flags) - MAX_MULTI_PROOF
            mp = tree.multiproof(todo[:take])
        out.append(mp)
        todo = todo[take:]
    return out


def _sibling(i: int) -> int:
    return i + 1 if i % 2 else i - 1


def multiproof_root(mp: MultiProof) -> bytes:
    """The root `mp` leads to, checked as `prove_many` checks it (`InputError` naming
    the first fault): OpenZeppelin's processMultiProof, as snekmate runs it."""
    count = len(mp.leaves)
    if count == 0:
        raise InputError("a multi-proof needs at least one certificate")
    if count > MAX_MULTI_PROOF or len(mp.flags) > MAX_MULTI_PROOF:
        raise InputError(f"a multi-proof holds at most {MAX_MULTI_PROOF} certificates and flags")
    if count + len(mp.proof) != len(mp.flags) + 1:
        raise InputError("a multi-proof has one flag per certificate and proof node, less one")
    if sum(mp.flags) != count - 1:
        raise InputError("a multi-proof's flags merge its certificates count - 1 times")
    if any(a >= b for a, b in itertools.pairwise(mp.leaves)):
        raise InputError("certificates must come in ascending leaf order, each once")
    nodes, proof = deque(mp.leaves), deque(mp.proof)
    for flag in mp.flags:
        a = nodes.popleft()
        b = nodes.popleft() if flag else proof.popleft()
        nodes.append(merkle.hash_pair(a, b))
    return nodes[-1]


def verify_multi(mp: MultiProof, root: bytes) -> bool:
    """Whether `mp` is well-formed and proves its leaves under `root`."""
    try:
        return multiproof_root(mp) == root
    except InputError:
        return False


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
