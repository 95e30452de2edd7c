"""EIP-712 typed data: one place for the domain, the digest, signing and recovery.

Every signed message of the suite (certificates, licence claims, balance proofs,
swap intents) goes through here, so the Python side and the contracts agree on
one encoding. Signatures are 65 bytes r || s || v with low s (EIP-2), which is
what the contracts accept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from coincurve import PrivateKey, PublicKey
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from bpsa.errors import InputError

_EIP712_DOMAIN = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class Domain:
    """The EIP-712 domain: binds a signature to one contract on one chain."""

    name: str
    version: str
    chain_id: int
    verifying_contract: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "chainId": self.chain_id,
            "verifyingContract": self.verifying_contract,
        }


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
        "types": {"EIP712Domain": _EIP712_DOMAIN, **types},
        "primaryType": primary_type,
        "domain": domain.as_dict(),
        "message": message,
    }


def digest(full: dict[str, Any]) -> bytes:
    """keccak256(0x1901 || domainSeparator || hashStruct(message)): what gets signed."""
    signable = encode_typed_data(full_message=full)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


@functools.lru_cache(maxsize=256)
def domain_separator(domain: Domain) -> bytes:
    """The domain separator a contract's `DOMAIN_SEPARATOR()` should return."""
    signable = encode_typed_data(
        full_message={
            "types": {"EIP712Domain": _EIP712_DOMAIN, "Empty": []},
            "primaryType": "Empty",
            "domain": domain.as_dict(),
            "message": {},
        }
    )
    return bytes(signable.header)


def sign(full: dict[str, Any], private_key: bytes | str) -> bytes:
    """Sign typed data; returns 65 bytes r || s || v (v 27 or 28, low s)."""
    signed = Account.sign_typed_data(private_key, full_message=full)
    return bytes(signed.signature)


def recover(full: dict[str, Any], signature: bytes) -> str:
    """The checksummed address that signed `full`; rejects malformed and high-s signatures."""
    if len(signature) != 65:
        raise InputError(f"signature must be 65 bytes, got {len(signature)}")
    s = int.from_bytes(signature[32:64], "big")
    if s > SECP256K1_N // 2:
        raise InputError("signature has a high s value (malleable); re-sign with low s")
    address: str = Account.recover_message(
        encode_typed_data(full_message=full), signature=signature
    )
    return address


def recover_digest(digest: bytes, signature: bytes) -> str | None:
    """The address that signed a 32-byte EIP-712 digest, or None when the signature is
    malformed, has a high s or a v other than 27/28, or does not recover: the checks
    a contract's `ecrecover` path makes. Uses libsecp256k1 through coincurve (about
    50 us; eth-keys' pure-Python backend takes milliseconds)."""
    raw = recover_address_bytes(digest, signature)
    return None if raw is None else str(to_checksum_address(raw))


def recover_address_bytes(digest: bytes, signature: bytes) -> bytes | None:
    """`recover_digest`'s answer as 20 raw bytes (no checksum to compute): for hot
    paths that compare with a known address."""
    if len(signature) != 65 or len(digest) != 32:
        return None
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    v = signature[64]
    if s > SECP256K1_N // 2 or v not in (27, 28) or not 0 < r < SECP256K1_N or s == 0:
        return None
    try:
        public = PublicKey.from_signature_and_message(
            signature[:64] + bytes([v - 27]), digest, hasher=None
        )
    except ValueError:
        return None
    return bytes(keccak(public.format(compressed=False)[1:])[-20:])


@functools.lru_cache(maxsize=64)
def _private_key(key: bytes) -> PrivateKey:
    return PrivateKey(key)


def sign_digest(digest: bytes, key: bytes) -> bytes:
    """65 bytes r || s || v (v 27 or 28, low s) over a 32-byte digest, with
    libsecp256k1 (about 25 us)."""
    recoverable = bytes(_private_key(bytes(key)).sign_recoverable(digest, hasher=None))
    return recoverable[:64] + bytes([recoverable[64] + 27])
