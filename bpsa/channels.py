"""Balance proofs of the payment channels (Channels.vy): what a payer signs for each
payment and the hub checks before it acknowledges it. Pure: no chain.

A balance proof is EIP-712 `BalanceProof(uint256 channel, uint64 nonce, uint256
amount)` in the domain "BPSA Channels" / "1" of one Channels contract on one chain:
`amount` is cumulative (all the payer has paid on the channel so far) and, with the
nonce, only rises. The hub's `CloseConsent` over the same fields lets a channel settle
at once. Digests are computed field by field (a test pins them to the generic
encoder) and recovered with libsecp256k1, the hub's hot path.

Three more types in the same domain, none of which the contract accepts:
- `Receipt(channel, payer, nonce, amount)`: the hub's acknowledgement of a payment,
  bound to the payer it came from;
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
from urllib.parse import quote, urlencode

from eth_utils.crypto import keccak

from bpsa import eip712
from bpsa.errors import InputError

DOMAIN_NAME = "BPSA Channels"
DOMAIN_VERSION = "1"
AMOUNT_MAX = 2**96 - 1
NONCE_MAX = 2**64 - 1
PROOF_FIELDS = [
    {"name": "channel", "type": "uint256"},
    {"name": "nonce", "type": "uint64"},
    {"name": "amount", "type": "uint256"},
]
TYPES: dict[str, list[dict[str, str]]] = {
    "BalanceProof": PROOF_FIELDS,
    "CloseConsent": PROOF_FIELDS,
    "Receipt": [
        {"name": "channel", "type": "uint256"},
        {"name": "payer", "type": "address"},
        {"name": "nonce", "type": "uint64"},
        {"name": "amount", "type": "uint256"},
    ],
    "HubRequest": [
        {"name": "channel", "type": "uint256"},
        {"name": "action", "type": "string"},
        {"name": "issued", "type": "uint64"},
        {"name": "salt", "type": "bytes32"},
        {"name": "body", "type": "bytes32"},
    ],
    "PaidQuery": [
        {"name": "channel", "type": "uint256"},
        {"name": "nonce", "type": "uint64"},
        {"name": "request", "type": "string"},
    ],
}
TYPEHASH = {
    name: keccak(text=f"{name}({','.join(f['type'] + ' ' + f['name'] for f in fields)})")
    for name, fields in TYPES.items()
}
# What a payer may ask the hub about its channel (`HubRequest.action`).
ACTIONS = ("channel", "receipt", "close")


def domain(chain_id: int, channels: str) -> eip712.Domain:
    return eip712.Domain(DOMAIN_NAME, DOMAIN_VERSION, chain_id, channels)


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _typed_digest(dom: eip712.Domain, kind: str, body: bytes) -> bytes:
    struct_hash = keccak(TYPEHASH[kind] + body)
    return keccak(b"\x19\x01" + eip712.domain_separator(dom) + struct_hash)


def receipt_digest(dom: eip712.Domain, channel: int, payer: str, nonce: int, amount: int) -> bytes:
    """The digest the hub signs for a receipt of `payer`'s payment (channel, nonce, amount)."""
    body = _word(channel) + bytes(12) + bytes.fromhex(payer[2:]) + _word(nonce) + _word(amount)
    return _typed_digest(dom, "Receipt", body)


@dataclass(frozen=True)
class HubRequest:
    """A payer's request to the hub about its channel: what it signs (`sign_request`)."""

    channel: int
    action: str
    issued: int  # milliseconds since the Unix epoch
    salt: bytes  # 32 fresh random bytes: two requests in one millisecond differ
    body: bytes  # keccak256 of the request's body (of b"" when it has none)

    def digest(self, dom: eip712.Domain) -> bytes:
        return _typed_digest(
            dom,
            "HubRequest",
            _word(self.channel)
            + keccak(self.action.encode())
            + _word(self.issued)
            + self.salt
            + self.body,
        )

    def typed(self, dom: eip712.Domain) -> dict[str, object]:
        message = {
            "channel": self.channel,
            "action": self.action,
            "issued": self.issued,
            "salt": self.salt,
            "body": self.body,
        }
        return eip712.typed_data(dom, {"HubRequest": TYPES["HubRequest"]}, "HubRequest", message)


def paid_query_digest(dom: eip712.Domain, channel: int, nonce: int, request: str) -> bytes:
    """The digest a payer signs to spend its receipt (channel, nonce) on `request`."""
    body = _word(channel) + _word(nonce) + keccak(request.encode())
    return _typed_digest(dom, "PaidQuery", body)


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
        return _typed_digest(
            dom, kind, _word(self.channel) + _word(self.nonce) + _word(self.amount)
        )

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
