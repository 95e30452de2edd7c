"""What the hub and its payers share: the units that flow through the hub's engine, and
the hub's receipt with its one digest. Pure, and light: the payer's side (`client`,
`paygate`, the query API) imports this module, never the hub's engine.

Units (`typing.NewType`, free at run time, checked by mypy):
    ChannelId   a Channels.vy channel id (uint256)
    Nonce       a balance proof's nonce (uint64, rises with every payment)
    Wei         an amount of BPC in wei (a deposit, a cumulative payment)
    Timestamp   the chain's clock, in Unix seconds

A receipt is the hub's EIP-712 signature over `Receipt(channel, payer, nonce, amount)`
in the channels' domain (the structure is `bpsa.core.eip712.RECEIPT`, defined there once):
proof for the payer that the hub holds its payment, bound to that payer (the pay gate
spends it only on a query the payer signed), and a type the contract never accepts (a
close consent is a different type, given only to the payer who asks). `receipt_digest`
is the only place its digest is built: the hub's verifier processes sign it, the payer
and the pay gate recover it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NewType

from coincurve import PrivateKey

from bpsa.core import eip712

ChannelId = NewType("ChannelId", int)
Nonce = NewType("Nonce", int)
Wei = NewType("Wei", int)
Timestamp = NewType("Timestamp", int)


def receipt_digest(
    domain: eip712.Domain | bytes, channel: int, payer: str | bytes, nonce: int, amount: int
) -> bytes:
    """The digest the hub signs for a receipt of `payer`'s payment (channel, nonce,
    amount): `domain` the Domain or its 32-byte separator (what a hot path keeps),
    `payer` "0x..." text or 20 raw bytes."""
    return eip712.RECEIPT.digest(domain, channel, payer, nonce, amount)


def sign_receipt(
    key: PrivateKey | bytes,
    domain: eip712.Domain | bytes,
    channel: int,
    payer: str | bytes,
    nonce: int,
    amount: int,
) -> bytes:
    """The hub's receipt signature, 65 bytes r || s || v (v 27 or 28, low s)."""
    return eip712.sign_digest(receipt_digest(domain, channel, payer, nonce, amount), key)


@dataclass(frozen=True, slots=True)
class Receipt:
    channel: ChannelId
    payer: str  # the channel's payer, whose payment this acknowledges
    nonce: Nonce
    amount: Wei  # cumulative
    signature: bytes  # the hub's, over Receipt(channel, payer, nonce, amount)

    def signer(self, dom: eip712.Domain) -> str | None:
        """Who signed this receipt (checksummed), or None for a signature that does not
        recover."""
        digest = receipt_digest(dom, self.channel, self.payer, self.nonce, self.amount)
        return eip712.recover_digest(digest, self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "payer": self.payer,
            "nonce": self.nonce,
            "amount": str(self.amount),
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> Receipt:
        """A receipt from its JSON form (`to_json`); KeyError, TypeError or ValueError
        for anything else."""
        return cls(
            ChannelId(int(data["channel"])),
            str(data["payer"]),
            Nonce(int(data["nonce"])),
            Wei(int(data["amount"])),
            bytes.fromhex(str(data["signature"]).removeprefix("0x")),
        )
