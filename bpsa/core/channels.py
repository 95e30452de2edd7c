"""Balance proofs of the payment channels (Channels.vy): what a payer signs for each
payment and the hub checks before it acknowledges it. Pure: no chain.

A balance proof is EIP-712 `BalanceProof(uint256 channel, uint64 nonce, uint256
amount)` in the domain "BPSA Channels" / "1" of one Channels contract on one chain:
`amount` is cumulative (all the payer has paid on the channel so far) and, with the
nonce, only rises. The hub's `CloseConsent` over the same fields lets a channel settle
at once. The structures are defined in `bpsa.core.eip712` (their digests field by field, a
test pinning them to the generic encoder); signatures are recovered with
libsecp256k1, the hub's hot path.

Four more types in the same domain, none of which the contract accepts:
- `Receipt(channel, payer, nonce, amount)`: the hub's acknowledgement of a payment,
  bound to the payer it came from, and `ReceiptBatch(root)`: what the hub signs, once
  for every batch it makes durable, over the sorted-pair Merkle root
  (`bpsa.core.merkle`) of its receipts' struct hashes (a receipt carries its proof);
- `HubRequest(channel, action, issued, salt, body)`: the payer's signature over a
  request to the hub that reads or changes its channel (`issued` in milliseconds since
  the Unix epoch, `salt` fresh random bytes, `body` the keccak256 of the request's body):
  the hub answers only its payer, once, within a short window;
- `PaidQuery(channel, nonce, request)`: the payer's signature over one paid query (the
  receipt's channel and nonce, and the query in its canonical form,
  `canonical_request`): a receipt is spent only on what its payer asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote, urlencode

from bpsa.core import eip712
from bpsa.core.errors import InputError

DOMAIN_NAME = "BPSA Channels"
DOMAIN_VERSION = "1"
AMOUNT_MAX = 2**96 - 1
NONCE_MAX = 2**64 - 1
# The six structures of this domain, each defined once in `bpsa.core.eip712`.
STRUCTS = {
    s.name: s
    for s in (
        eip712.BALANCE_PROOF,
        eip712.CLOSE_CONSENT,
        eip712.RECEIPT,
        eip712.RECEIPT_BATCH,
        eip712.HUB_REQUEST,
        eip712.PAID_QUERY,
    )
}
TYPES: dict[str, list[dict[str, str]]] = {name: s.types()[name] for name, s in STRUCTS.items()}
TYPEHASH = {name: s.typehash for name, s in STRUCTS.items()}
# What a payer may ask the hub about its channel (`HubRequest.action`).
ACTIONS = ("channel", "receipt", "close")


# The signing domain of one Channels deployment: domain(chain_id, address).
domain = eip712.domain_for(DOMAIN_NAME, DOMAIN_VERSION)


@dataclass(frozen=True)
class HubRequest(eip712.Typed):
    """A payer's request to the hub about its channel: what it signs (`sign_request`)."""

    STRUCT: ClassVar[eip712.Struct] = eip712.HUB_REQUEST

    channel: int
    action: str
    issued: int  # milliseconds since the Unix epoch
    salt: bytes  # 32 fresh random bytes: two requests in one millisecond differ
    body: bytes  # keccak256 of the request's body (of b"" when it has none)


def paid_query_digest(dom: eip712.Domain, channel: int, nonce: int, request: str) -> bytes:
    """The digest a payer signs to spend its receipt (channel, nonce) on `request`."""
    return eip712.PAID_QUERY.digest(dom, channel, nonce, request)


def canonical_request(path: str, params: dict[str, object]) -> str:
    """A query as the payer signs it and the API checks it: the path, then every
    parameter as `name=value`, sorted by name, percent-encoded (RFC 3986), joined by
    `&`: `/search?limit=20&offset=0&q=ZL2018`."""
    pairs = sorted((str(k), str(v)) for k, v in params.items())
    return path + "?" + urlencode(pairs, quote_via=quote, safe="")


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
        if kind not in ("BalanceProof", "CloseConsent"):
            raise InputError(
                f"a balance proof is signed as BalanceProof or CloseConsent, not {kind}"
            )
        return STRUCTS[kind].digest(dom, self.channel, self.nonce, self.amount)

    def typed(self, dom: eip712.Domain, kind: str = "BalanceProof") -> dict[str, object]:
        return STRUCTS[kind].typed(dom, STRUCTS[kind].message_of(self))


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
    return eip712.signature_struct(signature)
