"""Hash-time-locked swaps (Swaps.vy): the signed swap intent, its legs, the preimage and
hashlock, the swap ids and the arguments of the contract's calls. Pure: no chain
(deploying Swaps is `bpsa.sdk.deploy.deploy_swaps`).

A swap trades `initiator.amount` of `initiator.token` on the initiator's chain for
`responder.amount` of `responder.token` on the responder's chain. Both parties sign one
`SwapIntent` naming both legs and the hashlock ("the common signature"):

    SwapIntent(Leg initiator,Leg responder,bytes32 hashlock)
    Leg(uint256 chainId,address swaps,address token,uint256 amount,address sender,
        address receiver,uint256 deadline)

The EIP-712 domain is "BPSA Swaps" / "1" of the Swaps contract where a leg is locked:
a lock of leg `side` carries the signature of that leg's counterparty (the other leg's
sender) in the domain of `side`'s chain and contract. So the responder signs the
intent in the initiator's leg's domain (the initiator locks with it, first), and the
initiator signs it in the responder's leg's domain (the responder locks with it).

The flow: the initiator draws a preimage (`new_preimage`) and puts its sha256
(`hashlock`) in the intent; both sign; the initiator locks its leg; the responder locks
its own; the initiator claims the responder's leg with the preimage, which the
`Claimed` event publishes; the responder claims the initiator's leg with it. A leg not
claimed by its deadline is refunded to its sender. The contract enforces that the
initiator's deadline lies at least its `SAFETY_MARGIN` after the responder's and that
a leg locks with at least `MIN_LOCK_TIME` seconds left (`check_intent` makes the same
checks off chain).

Swap ids are keccak256(abi_encode(struct hash of the intent, side)): one per leg,
known to both parties before anyone locks. The contract keeps only a commitment to a
lock's `Terms`; a claim or a refund repeats them (from the `Locked` event, or from the
intent: `SwapIntent.terms`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

from eth_abi.abi import encode
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak

from bpsa.core import eip712
from bpsa.core.errors import (
    SwapError as SwapError,  # re-exported: callers catch bpsa.core.swaps.SwapError
)

DOMAIN_NAME = "BPSA Swaps"
DOMAIN_VERSION = "1"
# The intent and its legs are defined once, in `bpsa.core.eip712` (SWAP_INTENT, LEG).
INTENT_TYPE = eip712.SWAP_INTENT.type_string
INTENT_TYPEHASH = eip712.SWAP_INTENT.typehash
TERMS_ABI = ["address", "uint256", "address", "address", "bytes32", "uint256"]
ZERO_ADDRESS = "0x" + "00" * 20
UINT256_MAX = 2**256 - 1


class LegMismatch(SwapError):
    """The leg is not for this chain, contract or sender."""


class UnsafeDeadlines(SwapError):
    """The deadlines break the safety margin or leave too little time to lock."""


class Side(IntEnum):
    """Which leg: the initiator's locks first (its sender knows the preimage)."""

    INITIATOR = 0
    RESPONDER = 1

    @property
    def other(self) -> Side:
        return Side.RESPONDER if self is Side.INITIATOR else Side.INITIATOR


# Swaps.status(id)
class Status(IntEnum):
    NONE = 0
    LOCKED = 1
    CLAIMED = 2
    REFUNDED = 3


def _address(value: str, what: str) -> str:
    if not isinstance(value, str) or not is_address(value):
        raise SwapError(f"{what} {value!r} is not an address")
    return str(to_checksum_address(value))


def _uint(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= UINT256_MAX:
        raise SwapError(f"{what} {value!r} is not a uint256")
    return value


def _bytes32(value: bytes, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != 32:
        raise SwapError(f"{what} must be 32 bytes")
    return bytes(value)


def new_preimage() -> bytes:
    """32 random bytes: the initiator's secret."""
    return secrets.token_bytes(32)


def hashlock(preimage: bytes) -> bytes:
    """sha256 of a 32-byte preimage: what the intent and the locks carry."""
    return hashlib.sha256(_bytes32(preimage, "the preimage")).digest()


# The signing domain of the Swaps contract on one chain: domain(chain_id, address).
domain = eip712.domain_for(DOMAIN_NAME, DOMAIN_VERSION)


@dataclass(frozen=True)
class Leg(eip712.Typed):
    """`sender` locks `amount` of `token` in Swaps contract `swaps` on chain `chain_id`
    for `receiver`, claimable until `deadline` (a unix time; refundable from it on)."""

    STRUCT: ClassVar[eip712.Struct] = eip712.LEG

    chain_id: int
    swaps: str
    token: str
    amount: int
    sender: str
    receiver: str
    deadline: int

    def __post_init__(self) -> None:
        _uint(self.chain_id, "chain id")
        _uint(self.amount, "amount")
        _uint(self.deadline, "deadline")
        for name in ("swaps", "token", "sender", "receiver"):
            object.__setattr__(self, name, _address(getattr(self, name), name))


@dataclass(frozen=True)
class Terms:
    """What a claim or a refund repeats of a lock (Swaps' `Terms`, the `Locked` event)."""

    token: str
    amount: int
    sender: str
    receiver: str
    hashlock: bytes
    deadline: int

    def commitment(self) -> bytes:
        """What Swaps.commitments(id) holds while the swap is locked."""
        return keccak(
            encode(
                TERMS_ABI,
                [self.token, self.amount, self.sender, self.receiver, self.hashlock, self.deadline],
            )
        )

    def as_arg(self) -> tuple[Any, ...]:
        return (self.token, self.amount, self.sender, self.receiver, self.hashlock, self.deadline)

    @classmethod
    def from_event(cls, event: Any) -> Terms:
        """The terms of a `Locked` event (an ape ContractLog or anything with its fields)."""
        return cls(
            str(to_checksum_address(str(event.token))),
            int(event.amount),
            str(to_checksum_address(str(event.sender))),
            str(to_checksum_address(str(event.receiver))),
            bytes(event.hashlock),
            int(event.deadline),
        )


@dataclass(frozen=True)
class SwapIntent:
    """Both legs of a swap and its hashlock, as both parties sign them."""

    initiator: Leg
    responder: Leg
    hashlock: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "hashlock", _bytes32(self.hashlock, "the hashlock"))

    def leg(self, side: Side) -> Leg:
        return self.initiator if side is Side.INITIATOR else self.responder

    def counterparty(self, side: Side) -> str:
        """Who signs for a lock of leg `side`: the other leg's sender."""
        return self.leg(side.other).sender

    def struct_hash(self) -> bytes:
        return eip712.SWAP_INTENT.hash(
            self.initiator.struct_hash(), self.responder.struct_hash(), self.hashlock
        )

    def domain(self, side: Side) -> eip712.Domain:
        """The domain a lock of leg `side` checks its signature in."""
        leg = self.leg(side)
        return domain(leg.chain_id, leg.swaps)

    def digest(self, side: Side) -> bytes:
        """What the counterparty of leg `side` signs for that leg's lock."""
        return eip712.SWAP_INTENT.digest(
            self.domain(side),
            self.initiator.struct_hash(),
            self.responder.struct_hash(),
            self.hashlock,
        )

    def typed(self, side: Side) -> dict[str, Any]:
        """The typed data of `digest(side)`, for a wallet's eth_signTypedData_v4."""
        message = {
            "initiator": self.initiator.message(),
            "responder": self.responder.message(),
            "hashlock": self.hashlock,
        }
        return eip712.SWAP_INTENT.typed(self.domain(side), message)

    def swap_id(self, side: Side) -> bytes:
        """The id leg `side` is locked under (Swaps.swap_id)."""
        return keccak(encode(["bytes32", "uint8"], [self.struct_hash(), int(side)]))

    def terms(self, side: Side) -> Terms:
        leg = self.leg(side)
        return Terms(leg.token, leg.amount, leg.sender, leg.receiver, self.hashlock, leg.deadline)

    def as_arg(self) -> tuple[Any, ...]:
        """The intent as Swaps' SwapIntent struct argument."""
        return (self.initiator.as_arg(), self.responder.as_arg(), self.hashlock)


def sign_intent(intent: SwapIntent, side: Side, key: bytes | str) -> bytes:
    """The counterparty of leg `side` signs the intent for that leg's lock: 65 bytes
    r || s || v, low s."""
    raw = bytes.fromhex(key.removeprefix("0x")) if isinstance(key, str) else bytes(key)
    return eip712.sign_digest(intent.digest(side), raw)


def signer(intent: SwapIntent, side: Side, signature: bytes) -> str | None:
    """Who signed the intent for a lock of leg `side`, or None for a malformed or
    malleable signature."""
    return eip712.recover_digest(intent.digest(side), signature)


def as_arg(signature: bytes) -> tuple[int, bytes, bytes]:
    """A 65-byte signature as Swaps' Signature struct (v, r, s)."""
    return eip712.signature_struct(signature, SwapError)


def lock_args(
    intent: SwapIntent, side: Side, counterparty_signature: bytes
) -> tuple[tuple[Any, ...], int, tuple[int, bytes, bytes]]:
    """The arguments of Swaps.lock(intent, side, counterparty_sig)."""
    return (intent.as_arg(), int(side), as_arg(counterparty_signature))


def claim_args(intent: SwapIntent, side: Side, preimage: bytes) -> tuple[Any, ...]:
    """The arguments of Swaps.claim(id, preimage, terms)."""
    if hashlock(preimage) != intent.hashlock:
        raise SwapError("the preimage does not open the intent's hashlock")
    return (intent.swap_id(side), preimage, intent.terms(side).as_arg())


def refund_args(intent: SwapIntent, side: Side) -> tuple[Any, ...]:
    """The arguments of Swaps.refund(id, terms)."""
    return (intent.swap_id(side), intent.terms(side).as_arg())


def check_intent(
    intent: SwapIntent,
    side: Side,
    *,
    chain_id: int,
    swaps: str,
    sender: str,
    now: int,
    safety_margin: int,
    min_lock_time: int,
) -> None:
    """Raise what Swaps.lock would refuse (but for the signature and the token's
    balance) for `sender` locking leg `side` at time `now` on contract `swaps`."""
    leg, other = intent.leg(side), intent.leg(side.other)
    if leg.chain_id != chain_id:
        raise LegMismatch(f"the {side.name.lower()} leg is for chain {leg.chain_id}")
    if leg.swaps != _address(swaps, "swaps"):
        raise LegMismatch(f"the {side.name.lower()} leg is for Swaps at {leg.swaps}")
    if leg.sender != _address(sender, "sender"):
        raise LegMismatch(f"the {side.name.lower()} leg is {leg.sender}'s to lock")
    if leg.sender == other.sender:
        raise SwapError("both legs have the same sender: a swap needs two parties")
    if leg.receiver == ZERO_ADDRESS:
        raise SwapError("the receiver is the zero address")
    if leg.amount == 0:
        raise SwapError("the amount is zero")
    if intent.initiator.deadline - intent.responder.deadline < safety_margin:
        raise UnsafeDeadlines(
            f"the initiator's deadline must be at least {safety_margin} s after the responder's"
        )
    if leg.deadline < now + min_lock_time:
        raise UnsafeDeadlines(
            f"the {side.name.lower()} leg's deadline leaves under {min_lock_time} s to lock"
        )
