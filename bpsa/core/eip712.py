"""EIP-712 in one place: every typed structure the suite signs, its domain, its digest,
signing and recovery.

Each structure is a `Struct` defined once below, from its fields as the contract's
`*_TYPEHASH` constant spells them; it gives the type string, the typehash, the struct
hash and the digest keccak256(0x1901 || domain separator || struct hash). The SDK
(`certificates`, `channels`, `claims`, `swaps`), the oracle nodes, the hub, the swap
coordinator and the query API take their digests from here and build none by hand.
`tests/python/test_eip712_types.py` checks every typehash in `contracts/` (and in the
snekmate modules they use) against these definitions, in the sources and in the
compiled bytecode; `tests/unit/eip712/` checks the digests against the contracts' views.

    struct            signed by            checked by
    Certificate       the oracle nodes     Certificates.attest (M of N); a batch's leaves
    CertificateBatch  the oracle nodes     Certificates.attest_batch
    Revocation        the oracle nodes     Certificates.revoke
    BatchRevocation   the oracle nodes     Certificates.revoke_batch
    BalanceProof      a channel's payer    Channels.close / update / cooperative_close, the hub
    CloseConsent      the hub              Channels.cooperative_close
    Receipt           the hub              the payer, the query API (off chain only)
    HubRequest        a channel's payer    the hub (off chain only)
    PaidQuery         a channel's payer    the query API (off chain only)
    LicenceClaim      a licence's holder   Licensing.verify_claim, the query API
    SwapIntent, Leg   both swap parties    Swaps.lock
    Permit            a BPC holder         BPC.permit (snekmate's ERC-20, EIP-2612)

Signatures are 65 bytes r || s || v with low s (EIP-2) and v 27 or 28: what the
contracts accept (`split_signature` makes their check). Keccak goes through safe-pysha3
(eth-hash's fast backend, pinned) when present: about 0.7 us a hash against 4.5 us
through eth-utils. eth-account is imported only by the functions that take a whole
typed-data object, so the hub's verifier processes start light.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from coincurve import PrivateKey, PublicKey

from bpsa.core.errors import InputError

try:  # safe-pysha3: eth-hash's fast backend, pinned in constraints.txt
    from sha3 import keccak_256 as _keccak_256  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def keccak(data: bytes) -> bytes:
        """keccak256 of `data` (libkeccak through safe-pysha3)."""
        digest: bytes = _keccak_256(data).digest()
        return digest

except ImportError:  # pragma: no cover - the slower generic path
    from eth_utils.crypto import keccak as _eth_keccak

    def keccak(data: bytes) -> bytes:
        """keccak256 of `data` (eth-utils)."""
        return bytes(_eth_keccak(data))


SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
# The contracts' HALF_ORDER: a larger s is the malleable twin of a signature (EIP-2).
HALF_ORDER = SECP256K1_N // 2


# -- the domain -------------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    """The EIP-712 domain: binds a signature to one contract on one chain."""

    name: str
    version: str
    chain_id: int
    verifying_contract: str

    def as_dict(self) -> dict[str, Any]:
        return EIP712_DOMAIN.message_of(self)


def domain_for(name: str, version: str) -> Callable[[int, str], Domain]:
    """The domain of one kind of contract as a function of its chain id and address:
    what each module that signs for a contract calls `domain`."""
    return functools.partial(Domain, name, version)


@functools.lru_cache(maxsize=256)
def domain_separator(domain: Domain) -> bytes:
    """The domain separator a contract's `DOMAIN_SEPARATOR()` should return."""
    return EIP712_DOMAIN.hash(
        domain.name, domain.version, domain.chain_id, domain.verifying_contract
    )


# -- encoding one field (EIP-712 encodeData) ------------------------------------------------


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _bool(value: bool) -> bytes:
    return _word(1 if value else 0)


def _address(value: str | bytes) -> bytes:
    raw = bytes.fromhex(value[2:]) if isinstance(value, str) else bytes(value)
    if len(raw) != 20:
        raise InputError(f"an address is 20 bytes, got {len(raw)}")
    return bytes(12) + raw


def _string(value: str) -> bytes:
    return keccak(value.encode())


def _bytes(value: bytes) -> bytes:
    return keccak(bytes(value))


def _fixed_bytes(size: int) -> Callable[[bytes], bytes]:
    def encode(value: bytes) -> bytes:
        if len(value) != size:
            raise InputError(f"a bytes{size} is {size} bytes, got {len(value)}")
        return bytes(value) + bytes(32 - size)

    return encode


def _struct_hash(value: bytes) -> bytes:
    """A field whose type is a struct takes that struct's hash (`Struct.hash`)."""
    if len(value) != 32:
        raise InputError(f"a struct field takes the struct's 32-byte hash, got {len(value)}")
    return bytes(value)


def _encoder(kind: str, refs: Mapping[str, Struct]) -> Callable[[Any], bytes]:
    if kind in refs:
        return _struct_hash
    if kind == "address":
        return _address
    if kind == "string":
        return _string
    if kind == "bytes":
        return _bytes
    if kind == "bool":
        return _bool
    if kind.startswith("uint") and int(kind[4:] or 256) in range(8, 257, 8):
        return _word
    if kind.startswith("bytes") and 1 <= int(kind[5:]) <= 32:
        return _fixed_bytes(int(kind[5:]))
    raise InputError(f"EIP-712 type {kind!r} is not one this module encodes")


class Struct:
    """One EIP-712 struct type, from its fields as the type string spells them:
    `Struct("BalanceProof", "uint256 channel,uint64 nonce,uint256 amount")`; `refs` are
    the structs its fields name as types (a `SwapIntent`'s `Leg`).

    `hash(*values)` is the struct hash from the field values in order (an address as
    "0x..." text or 20 bytes; a string as text; a struct-typed field as that struct's
    hash); `digest(domain, *values)` is what gets signed, `domain` the Domain or its
    32-byte separator (what a hot path keeps). Both are compiled per struct with each
    field's encoding written out (see `_compile`): as fast as a digest written by hand,
    which the hub's hot path needs."""

    __slots__ = (
        "_attributes",
        "_encoders",
        "digest",
        "fields",
        "hash",
        "name",
        "own_type",
        "refs",
        "type_string",
        "typehash",
    )

    def __init__(self, name: str, fields: str, *refs: Struct) -> None:
        self.name = name
        self.fields: tuple[tuple[str, str], ...] = tuple(
            (kind, field) for kind, field in (pair.split(" ") for pair in fields.split(","))
        )
        self.refs = refs
        # The attribute that holds each field on a Python object (`chainId`: `chain_id`).
        self._attributes = tuple(
            re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field).lower() for _, field in self.fields
        )
        known = {s.name: s for s in self.dependencies()}
        self._encoders = tuple(_encoder(kind, known) for kind, _ in self.fields)
        self.own_type = f"{name}({fields})"
        # encodeType: the struct's own type, then every struct it references, by name.
        self.type_string = self.own_type + "".join(s.own_type for s in self._referenced())
        self.typehash = keccak(self.type_string.encode())
        self.hash: Callable[..., bytes]
        self.digest: Callable[..., bytes]
        self.hash, self.digest = _compile(self.typehash, self._encoders)

    def dependencies(self) -> list[Struct]:
        """Every struct this one references, directly or not (itself excluded)."""
        found: dict[str, Struct] = {}
        stack = list(self.refs)
        while stack:
            struct = stack.pop()
            if struct.name not in found:
                found[struct.name] = struct
                stack.extend(struct.refs)
        return list(found.values())

    def _referenced(self) -> list[Struct]:
        return sorted(self.dependencies(), key=lambda s: s.name)

    def values_of(self, obj: Any) -> tuple[Any, ...]:
        """The struct's field values in order, read from `obj`'s attributes of the same
        names in snake case (an int enum as its int): what `hash` and a contract call take."""
        values = (getattr(obj, name) for name in self._attributes)
        return tuple(v if isinstance(v, bool) or not isinstance(v, int) else int(v) for v in values)

    def message_of(self, obj: Any) -> dict[str, Any]:
        """`values_of(obj)` by field name: a typed-data message."""
        return dict(zip((field for _, field in self.fields), self.values_of(obj), strict=True))

    def hash_message(self, message: Mapping[str, Any]) -> bytes:
        """`hash` of a typed-data message (fields by name; a struct field as a nested
        message): what a generic encoder computes."""
        known = {s.name: s for s in self.dependencies()}
        values = [
            known[kind].hash_message(message[field]) if kind in known else message[field]
            for kind, field in self.fields
        ]
        return self.hash(*values)

    def types(self) -> dict[str, list[dict[str, str]]]:
        """The `types` of a typed-data object: this struct and those it references."""
        return {
            s.name: [{"name": field, "type": kind} for kind, field in s.fields]
            for s in (self, *self._referenced())
        }

    def typed(self, domain: Domain, message: Mapping[str, Any]) -> dict[str, Any]:
        """The full typed-data object (what a wallet's `eth_signTypedData_v4` takes)."""
        return typed_data(domain, self.types(), self.name, dict(message))

    def __repr__(self) -> str:
        return f"Struct({self.type_string!r})"


class Typed:
    """A dataclass that is one EIP-712 struct (`STRUCT`), its fields the struct's in snake
    case: its contract-call tuple, typed-data message, struct hash and digest all come
    from the struct's definition, never from a list of its fields written again."""

    STRUCT: ClassVar[Struct]

    def as_arg(self) -> tuple[Any, ...]:
        """The tuple ape passes as the contract's struct."""
        return self.STRUCT.values_of(self)

    def message(self) -> dict[str, Any]:
        return self.STRUCT.message_of(self)

    def struct_hash(self) -> bytes:
        """hashStruct(self): what the contract's view of the struct hash returns."""
        return self.STRUCT.hash(*self.as_arg())

    def digest(self, dom: Domain) -> bytes:
        """What gets signed: keccak256(0x1901 || domain separator || struct hash)."""
        return self.STRUCT.digest(dom, *self.as_arg())

    def typed(self, dom: Domain) -> dict[str, Any]:
        """The full typed-data object (what a wallet's `eth_signTypedData_v4` takes)."""
        return self.STRUCT.typed(dom, self.message())


def _compile(
    typehash: bytes, encoders: tuple[Callable[[Any], bytes], ...]
) -> tuple[Callable[..., bytes], Callable[..., bytes]]:
    """A struct's `hash(v0, v1, ...)` and `digest(domain, v0, v1, ...)`, written out as
    Python source with one expression per field (a uint's `to_bytes` inline, any other
    field through its encoder) and compiled, as `collections.namedtuple` builds its
    classes. A loop over the encoders gives the same words but costs the hub's receipt
    digest a third more (2.9 us against 2.1 us)."""
    args = ", ".join(f"v{i}" for i in range(len(encoders)))
    words = " + ".join(
        f"v{i}.to_bytes(32, 'big')" if encode is _word else f"encode{i}(v{i})"
        for i, encode in enumerate(encoders)
    )
    source = (
        f"def hash({args}):\n"
        f"    return keccak(TYPEHASH + {words})\n"
        f"def digest(domain, {args}):\n"
        f"    separator = domain_separator(domain) if isinstance(domain, Domain) else domain\n"
        f"    return keccak(b'\\x19\\x01' + separator + keccak(TYPEHASH + {words}))\n"
    )
    namespace: dict[str, Any] = {
        "keccak": keccak,
        "TYPEHASH": typehash,
        "Domain": Domain,
        "domain_separator": domain_separator,
        **{f"encode{i}": encode for i, encode in enumerate(encoders)},
    }
    exec(source, namespace)
    return namespace["hash"], namespace["digest"]


# -- the structures ---------------------------------------------------------------------

EIP712_DOMAIN = Struct(
    "EIP712Domain", "string name,string version,uint256 chainId,address verifyingContract"
)

# Certificates.vy, domain "BPSA Certificates" / "1"
CERTIFICATE = Struct(
    "Certificate",
    "string office,string number,bytes32 document,address owner,uint8 status,uint40 expiry,"
    "uint48 nonce",
)
CERTIFICATE_BATCH = Struct("CertificateBatch", "bytes32 root,uint32 count")
REVOCATION = Struct("Revocation", "string office,string number,bytes32 document,uint48 nonce")
BATCH_REVOCATION = Struct("BatchRevocation", "bytes32 root")

# Channels.vy, domain "BPSA Channels" / "1"; the last four are only checked off chain.
BALANCE_PROOF = Struct("BalanceProof", "uint256 channel,uint64 nonce,uint256 amount")
CLOSE_CONSENT = Struct("CloseConsent", "uint256 channel,uint64 nonce,uint256 amount")
# A receipt is a leaf (its struct hash) of a tree whose root the hub signs once per batch.
RECEIPT = Struct(
    "Receipt", "uint256 channel,address payer,uint64 nonce,uint256 amount,bytes32 salt"
)
RECEIPT_BATCH = Struct("ReceiptBatch", "bytes32 root")
HUB_REQUEST = Struct(
    "HubRequest", "uint256 channel,string action,uint64 issued,bytes32 salt,bytes32 body"
)
PAID_QUERY = Struct("PaidQuery", "uint256 channel,uint64 nonce,string request")

# licence_claims.vy (in Licensing.vy), domain "BPSA Licensing" / "1"
LICENCE_CLAIM = Struct(
    "LicenceClaim", "address holder,uint256 licence,bytes32 subject,uint64 expiry,uint256 nonce"
)

# Swaps.vy, domain "BPSA Swaps" / "1" of the contract where a leg is locked
LEG = Struct(
    "Leg",
    "uint256 chainId,address swaps,address token,uint256 amount,address sender,"
    "address receiver,uint256 deadline",
)
SWAP_INTENT = Struct("SwapIntent", "Leg initiator,Leg responder,bytes32 hashlock", LEG)

# BPC.vy (snekmate's ERC-20), domain: the token's name / "1"
PERMIT = Struct(
    "Permit", "address owner,address spender,uint256 value,uint256 nonce,uint256 deadline"
)

STRUCTS: tuple[Struct, ...] = (
    CERTIFICATE,
    CERTIFICATE_BATCH,
    REVOCATION,
    BATCH_REVOCATION,
    BALANCE_PROOF,
    CLOSE_CONSENT,
    RECEIPT,
    RECEIPT_BATCH,
    HUB_REQUEST,
    PAID_QUERY,
    LICENCE_CLAIM,
    LEG,
    SWAP_INTENT,
    PERMIT,
)


# -- whole typed-data objects (wallets, eth_signTypedData_v4) ---------------------------


def typed_data(
    domain: Domain,
    types: dict[str, list[dict[str, str]]],
    primary_type: str,
    message: dict[str, Any],
) -> dict[str, Any]:
    """The full typed-data object (what `eth_signTypedData_v4` takes)."""
    if primary_type not in types:
        raise InputError(f"primary type {primary_type!r} is not among the types given")
    return {
        "types": {**EIP712_DOMAIN.types(), **types},
        "primaryType": primary_type,
        "domain": domain.as_dict(),
        "message": message,
    }


def digest(full: dict[str, Any]) -> bytes:
    """keccak256(0x1901 || domainSeparator || hashStruct(message)) of a whole typed-data
    object, by eth-account's generic encoder (the independent reference tests pin the
    `Struct` digests to)."""
    from eth_account.messages import encode_typed_data

    signable = encode_typed_data(full_message=full)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def sign(full: dict[str, Any], private_key: bytes | str) -> bytes:
    """Sign typed data; returns 65 bytes r || s || v (v 27 or 28, low s)."""
    from eth_account import Account

    signed = Account.sign_typed_data(private_key, full_message=full)
    return bytes(signed.signature)


def sign_permit(
    token: Domain,
    private_key: bytes | str,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> bytes:
    """An EIP-2612 permit in `token`'s domain (BPC's: its name, version "1"): `owner`
    lets `spender` take `value` until `deadline`, with the owner's current `nonce`
    (`nonces(owner)`); 65 bytes r || s || v, signed by `private_key`."""
    message = {
        "owner": owner,
        "spender": spender,
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    return sign(PERMIT.typed(token, message), private_key)


def recover(full: dict[str, Any], signature: bytes) -> str:
    """The checksummed address that signed `full`; rejects malformed and high-s signatures."""
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    if len(signature) != 65:
        raise InputError(f"signature must be 65 bytes, got {len(signature)}")
    if int.from_bytes(signature[32:64], "big") > HALF_ORDER:
        raise InputError("signature has a high s value (malleable); re-sign with low s")
    address: str = Account.recover_message(
        encode_typed_data(full_message=full), signature=signature
    )
    return address


# -- 32-byte digests (libsecp256k1 through coincurve) ----------------------------------


def signature_struct(
    signature: bytes, error: type[InputError] = InputError
) -> tuple[int, bytes, bytes]:
    """A 65-byte r || s || v signature as the contracts' `signatures.Signature` struct
    argument (v, r, s); `error` (an `InputError`) for any other length."""
    if len(signature) != 65:
        raise error(f"a signature is 65 bytes, got {len(signature)}")
    return (signature[64], signature[:32], signature[32:64])


def split_signature(signature: bytes) -> tuple[int, int, int] | None:
    """(r, s, v) of a 65-byte r || s || v signature the contracts accept: low s (at most
    HALF_ORDER), v 27 or 28, r and s in range; None for any other."""
    if len(signature) != 65:
        return None
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    v = signature[64]
    if s > HALF_ORDER or v not in (27, 28) or not 0 < r < SECP256K1_N or s == 0:
        return None
    return r, s, v


def recover_digest(digest: bytes, signature: bytes) -> str | None:
    """The address that signed a 32-byte EIP-712 digest, or None when the signature is
    malformed, has a high s or a v other than 27/28, or does not recover: the checks
    a contract's `ecrecover` path makes. Uses libsecp256k1 through coincurve (about
    50 us; eth-keys' pure-Python backend takes milliseconds)."""
    from eth_utils.address import to_checksum_address

    raw = recover_address_bytes(digest, signature)
    return None if raw is None else str(to_checksum_address(raw))


def recover_address_bytes(digest: bytes, signature: bytes) -> bytes | None:
    """`recover_digest`'s answer as 20 raw bytes (no checksum to compute): for hot
    paths that compare with a known address."""
    if len(digest) != 32 or split_signature(signature) is None:
        return None
    try:
        public = PublicKey.from_signature_and_message(
            signature[:64] + bytes((signature[64] - 27,)), digest, hasher=None
        )
    except ValueError:
        return None
    return keccak(public.format(compressed=False)[1:])[-20:]


@functools.lru_cache(maxsize=64)
def _private_key(key: bytes) -> PrivateKey:
    return PrivateKey(key)


def sign_digest(digest: bytes, key: bytes | PrivateKey) -> bytes:
    """65 bytes r || s || v (v 27 or 28, low s) over a 32-byte digest, with
    libsecp256k1 (about 25 us)."""
    private = key if isinstance(key, PrivateKey) else _private_key(bytes(key))
    recoverable = bytes(private.sign_recoverable(digest, hasher=None))
    return recoverable[:64] + bytes((recoverable[64] + 27,))
