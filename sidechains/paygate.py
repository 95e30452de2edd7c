"""The pay-per-query hook the query API calls: does this hub receipt pay for this query,
asked by the payer who paid?

A payer pays the hub, then calls a paid endpoint with the receipt it got
(`X-Payment-Receipt`) and its own signature spending that receipt on that very query
(`X-Payment-Authorization`: EIP-712 `PaidQuery(channel, nonce, request)`, the request in
its canonical form, `bpsa.core.channels.canonical_request`). The gate checks that the receipt
is the hub's for this Channels contract and chain, that the receipt's payer signed the
query (so a receipt seen by anyone else, on the wire or anywhere, buys them nothing),
and that what it adds over the highest receipt already redeemed on that channel covers
the query's price; it then records the redemption (SQLite, one transaction), so each
payment serves one query. A receipt that does not cover the price, is the hub's for
another contract, or was already redeemed raises `PaymentRequired` (HTTP 402, with how
to pay); a query its payer did not sign raises `PaymentUnauthorized` (403), before the
receipt is spent.
"""

from __future__ import annotations

import threading
from pathlib import Path

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.core.errors import BpsaError
from bpsa.core.store import Store
from bpsa.sidechains.messages import Receipt

RECEIPT_HEADER = "X-Payment-Receipt"
AUTHORIZATION_HEADER = "X-Payment-Authorization"

SCHEMA = """
CREATE TABLE IF NOT EXISTS redeemed (
    channel TEXT PRIMARY KEY, amount TEXT NOT NULL, nonce INTEGER NOT NULL
);
"""


class PaymentRequired(BpsaError):
    def __init__(self, code: str, reason: str, how: str) -> None:
        super().__init__(f"{reason} ({how})")
        self.code, self.reason, self.how = code, reason, how


class PaymentUnauthorized(BpsaError):
    """The receipt's payer did not sign this query."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class PaymentGate:
    def __init__(self, path: Path, domain: eip712.Domain, hub: str, hub_url: str) -> None:
        self._store = Store(path, SCHEMA, threads=True)  # the API's worker threads, one at a time
        self._db = self._store.db
        self._lock = threading.Lock()
        self.domain, self.hub = domain, hub.lower()
        self.how = (
            f"open a channel to the hub {hub} on chain {domain.chain_id} "
            f"(Channels {domain.verifying_contract}), pay it at {hub_url}, and send the "
            f"receipt ({RECEIPT_HEADER}) with your signature of the query "
            f"({AUTHORIZATION_HEADER}: EIP-712 PaidQuery(channel, nonce, request))"
        )

    def redeem(self, receipt: Receipt, price: int, request: str, authorization: bytes) -> int:
        """Record `receipt` as paying for one query of `price`, `request` (canonical),
        which `authorization` (the receipt's payer's `PaidQuery` signature) asked for;
        the amount it covered."""
        signer = receipt.signer(self.domain)
        if signer is None or signer.lower() != self.hub:
            raise PaymentRequired("bad_receipt", "the receipt is not the hub's", self.how)
        digest = ch.paid_query_digest(self.domain, receipt.channel, receipt.nonce, request)
        asked = eip712.recover_digest(digest, authorization)
        if asked is None or asked.lower() != receipt.payer.lower():
            raise PaymentUnauthorized(
                "not_payer",
                f"the receipt is {receipt.payer}'s, and {receipt.payer} did not sign this "
                f"query ({request}) on channel {receipt.channel} with receipt {receipt.nonce}",
            )
        channel = str(receipt.channel)
        with self._lock, self._store.transaction() as db:
            row = db.execute(
                "SELECT amount, nonce FROM redeemed WHERE channel=?", (channel,)
            ).fetchone()
            before, last_nonce = (int(row[0]), int(row[1])) if row else (0, 0)
            if receipt.nonce <= last_nonce:
                raise PaymentRequired(
                    "receipt_used", f"receipt {receipt.nonce} was already redeemed", self.how
                )
            covered = receipt.amount - before
            if covered < price:
                raise PaymentRequired(
                    "underpaid",
                    f"the receipt adds {covered} wei; the query costs {price}",
                    self.how,
                )
            db.execute(
                "INSERT INTO redeemed VALUES (?,?,?) ON CONFLICT(channel) "
                "DO UPDATE SET amount=excluded.amount, nonce=excluded.nonce",
                (channel, str(receipt.amount), receipt.nonce),
            )
        return covered
