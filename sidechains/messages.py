"""What the hub and its payers share: the units that flow through the hub's engine, and
the hub's receipt with its one digest. Pure, and light: the payer's side (`client`,
`paygate`, the query API) imports this module, never the hub's engine.

Units (`typing.NewType`, free at run time, checked by mypy):
    ChannelId   a Channels.vy channel id (uint256)
    Nonce       a balance proof's nonce (uint64, rises with every payment)
    Wei         an amount of BPC in wei (a deposit, a cumulative payment)
    Timestamp   the chain's clock, in Unix seconds

A receipt acknowledges one payment, `Receipt(channel, payer, nonce, amount, salt)` in the
channels' domain (the structures are `bpsa.core.eip712.RECEIPT` and `RECEIPT_BATCH`,
defined there once): proof for the payer that the hub holds its payment, bound to that
payer (the pay gate spends it only on a query the payer signed), and of types the
contract never accepts (a close consent is a different type, given only to the payer who
asks). The hub signs once per batch it makes durable, as TLS batch signing does
(draft-ietf-tls-batch-signing): each receipt's struct hash is a leaf of the batch's
sorted-pair Merkle tree (`bpsa.core.merkle`), the hub signs `ReceiptBatch(root)`, and a
receipt carries its leaf's proof (the siblings, 32 bytes each, leaf upwards; none for a
batch of one). Each leaf holds a fresh random salt the receipt carries: a proof shows its
holder its siblings' hashes, and without the salt nobody can test a guess of another
payer's channel, nonce and amount against them. `receipt_digest` is the only place the
digest a receipt's signature recovers against is built: the hub's verifier processes
sign batches (`sign_receipts`), the payer and the pay gate recover single receipts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NewType

from coincurve import PrivateKey

from bpsa.core import eip712, merkle

ChannelId = NewType("ChannelId", int)
Nonce = NewType("Nonce", int)
Wei = NewType("Wei", int)
Timestamp = NewType("Timestamp", int)

WS_BATCH_MAX = 64  # payments in one WebSocket message to the hub (a JSON array of them)


def receipt_leaf(channel: int, payer: str | bytes, nonce: int, amount: int, salt: bytes) -> bytes:
    """A receipt's leaf in its batch's tree: the struct hash of `Receipt(channel, payer,
    nonce, amount, salt)`, `payer` "0x..." text or 20 raw bytes."""
    return eip712.RECEIPT.hash(channel, payer, nonce, amount, salt)


def receipt_digest(
    domain: eip712.Domain | bytes,
    channel: int,
    payer: str | bytes,
    nonce: int,
    amount: int,
    salt: bytes,
    proof: bytes = b"",
) -> bytes:
    """The digest the hub signed for a receipt of `payer`'s payment (channel, nonce,
    amount): `ReceiptBatch(root)`, the root that `proof` leads to from the receipt's
    leaf. `domain` the Domain or its 32-byte separator (what a hot path keeps). A proof
    whose length is not a multiple of 32 raises ValueError."""
    if len(proof) % 32:
        raise ValueError(f"a receipt's proof is 32-byte hashes, got {len(proof)} bytes")
    siblings = [proof[i : i + 32] for i in range(0, len(proof), 32)]
    root = merkle.root_of(receipt_leaf(channel, payer, nonce, amount, salt), siblings)
    return eip712.RECEIPT_BATCH.digest(domain, root)


def sign_receipts(
    key: PrivateKey | bytes,
    domain: eip712.Domain | bytes,
    items: Sequence[tuple[int, str | bytes, int, int]],
) -> list[Signed]:
    """The hub's receipts for a batch of (channel, payer, nonce, amount): for each, in
    order, its fresh random salt, the one signature over the batch's root (65 bytes
    r || s || v, v 27 or 28, low s) and its proof."""
    if not items:
        return []
    noise = os.urandom(32 * len(items))
    salts = [noise[i : i + 32] for i in range(0, len(noise), 32)]
    leaves = [receipt_leaf(*item, salt) for item, salt in zip(items, salts, strict=True)]
    tree = merkle.MerkleTree(leaves, item="receipt")
    signature = eip712.sign_digest(eip712.RECEIPT_BATCH.digest(domain, tree.root), key)
    return [
        (salt, signature, b"".join(tree.proof(leaf)))
        for salt, leaf in zip(salts, leaves, strict=True)
    ]


# (salt, the batch's signature, the receipt's proof): one receipt as the hub signs it
Signed = tuple[bytes, bytes, bytes]


@dataclass(frozen=True, slots=True)
class Receipt:
    channel: ChannelId
    payer: str  # the channel's payer, whose payment this acknowledges
    nonce: Nonce
    amount: Wei  # cumulative
    signature: bytes  # the hub's, over ReceiptBatch(root of this receipt's batch)
    proof: bytes = b""  # the leaf's siblings up to that root, 32 bytes each
    salt: bytes = bytes(32)  # the hub's random 32 bytes, hiding the leaf from its siblings

    def signer(self, dom: eip712.Domain) -> str | None:
        """Who signed this receipt (checksummed), or None for a signature, salt or proof
        that does not recover."""
        if len(self.proof) % 32 or len(self.salt) != 32:
            return None
        digest = receipt_digest(
            dom, self.channel, self.payer, self.nonce, self.amount, self.salt, self.proof
        )
        return eip712.recover_digest(digest, self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "payer": self.payer,
            "nonce": self.nonce,
            "amount": str(self.amount),
            "signature": "0x" + self.signature.hex(),
            "proof": "0x" + self.proof.hex(),
            "salt": "0x" + self.salt.hex(),
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
            bytes.fromhex(str(data.get("proof", "0x")).removeprefix("0x")),
            bytes.fromhex(str(data["salt"]).removeprefix("0x")),
        )
