"""Balance proofs of the payment channels (Channels.vy): what a payer signs for each
payment and the hub checks before it acknowledges it. Pure: no chain.

A balance proof is EIP-712 `BalanceProof(uint256 channel, uint64 nonce, uint256
amount)` in the domain "BPSA Channels" / "1" of one Channels contract on one chain:
`amount` is cumulative (all the payer has paid on the channel so far) and, with the
nonce, only rises. The hub's `CloseConsent` over the same fields lets a channel settle
at once. Digests are computed field by field (a test pins them to the generic
encoder) and recovered with libsecp256k1, the hub's hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils.crypto import keccak

from bpsa import eip712
from bpsa.errors import InputError

DOMAIN_NAME = "BPSA Channels"
DOMAIN_VERSION = "1"
AMOUNT_MAX = 2**96 - 1
NONCE_MAX = 2**64 - 1
TYPES = {
    "BalanceProof": [
        {"name": "channel", "type": "uint256"},
        {"name": "nonce", "type": "uint64"},
        {"name": "amount", "type": "uint256"},
    ],
    "CloseConsent": [
        {"name": "channel", "type": "uint256"},
        {"name": "nonce", "type": "uint64"},
        {"name": "amount", "type": "uint256"},
    ],
}
TYPEHASH = {
    name: keccak(text=f"{name}(uint256 channel,uint64 nonce,uint256 amount)") for name in TYPES
}


def domain(chain_id: int, channels: str) -> eip712.Domain:
    return eip712.Domain(DOMAIN_NAME, DOMAIN_VERSION, chain_id, channels)


@dataclass(frozen=True)
class BalanceProof:
    channel: int
    nonce: int
    amount: int

    def __post_init__(self) -> None:
        if not 0 < self.channel < 2**256:
            raise InputError(f"channel {self.channel} is not a channel id")
        if not 0 < self.nonce <= NONCE_MAX:
            raise InputError(f"nonce {self.nonce} must be 1 to 2^64 - 1")
        if not 0 <= self.amount <= AMOUNT_MAX:
            raise InputError(f"amount {self.amount} must be 0 to 2^96 - 1 wei")

    def digest(self, dom: eip712.Domain, kind: str = "BalanceProof") -> bytes:
        body = (
            self.channel.to_bytes(32, "big")
            + self.nonce.to_bytes(32, "big")
            + self.amount.to_bytes(32, "big")
        )
        struct_hash = keccak(TYPEHASH[kind] + body)
        return keccak(b"\x19\x01" + eip712.domain_separator(dom) + struct_hash)

    def typed(self, dom: eip712.Domain, kind: str = "BalanceProof") -> dict[str, object]:
        message = {"channel": self.channel, "nonce": self.nonce, "amount": self.amount}
        return eip712.typed_data(dom, {kind: TYPES[kind]}, kind, message)


def sign(
    proof: BalanceProof, dom: eip712.Domain, key: bytes | str, kind: str = "BalanceProof"
) -> bytes:
    """65 bytes r || s || v (low s) over the proof, or the hub's close consent."""
    raw = bytes.fromhex(key.removeprefix("0x")) if isinstance(key, str) else bytes(key)
    return eip712.sign_digest(proof.digest(dom, kind), raw)


def signer(
    proof: BalanceProof, dom: eip712.Domain, signature: bytes, kind: str = "BalanceProof"
) -> str | None:
    """Who signed it, or None for a malformed or malleable signature."""
    return eip712.recover_digest(proof.digest(dom, kind), signature)


def as_arg(signature: bytes) -> tuple[int, bytes, bytes]:
    """A 65-byte signature as Channels' Signature struct (v, r, s)."""
    if len(signature) != 65:
        raise InputError(f"a signature is 65 bytes, got {len(signature)}")
    return (signature[64], signature[:32], signature[32:64])
