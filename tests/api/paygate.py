"""The pay gate's other side for the paid-search tests: a channel's payer and the hub's own
engine (`Hub`), which issues receipts and signs the payer's paid queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine, Receipt
from bpsa.sidechains.messages import ChannelId, Nonce, Wei

PRICE = 10**15
DEPOSIT = Wei(10**18)
HEADER = "X-Payment-Receipt"
AUTHORIZATION = "X-Payment-Authorization"


@dataclass
class Hub:
    engine: Engine
    channel: int
    payer: Any
    domain: Any
    paid: int = 0
    nonce: int = 0

    def pay(self, amount: int = PRICE) -> Receipt:
        """The payer pays `amount` more; the hub's receipt."""
        return self.pay_batch([amount])[0]

    def pay_batch(self, amounts: list[int]) -> list[Receipt]:
        """The payer pays each of `amounts` more, and the hub takes them as one batch
        (one signature over the batch's receipts); the receipts, in order."""
        changes = []
        for amount in amounts:
            self.nonce += 1
            self.paid += amount
            proof = ch.BalanceProof(self.channel, self.nonce, self.paid)
            signature = ch.sign(proof, self.domain, self.payer.private_key)
            changes.append(
                st.ReceivePayment(
                    ChannelId(self.channel), Nonce(self.nonce), Wei(self.paid), signature
                )
            )
        receipts = []
        for outcome in self.engine.submit_payments(changes):
            assert outcome.receipt is not None, outcome
            receipts.append(outcome.receipt)
        return receipts

    def authorized(
        self, receipt: Receipt, q: str, limit: int = 20, offset: int = 0, key: Any = None
    ) -> dict[str, str]:
        """The receipt and the payer's (or `key`'s) signature spending it on the query."""
        request = ch.canonical_request("/search", {"q": q, "limit": limit, "offset": offset})
        digest = ch.paid_query_digest(self.domain, receipt.channel, receipt.nonce, request)
        signer = key if key is not None else self.payer.private_key
        if isinstance(signer, str):
            signer = bytes.fromhex(signer.removeprefix("0x"))
        signature = eip712.sign_digest(digest, signer)
        return header(receipt) | {AUTHORIZATION: "0x" + signature.hex()}


def header(receipt: Receipt) -> dict[str, str]:
    return {HEADER: json.dumps(receipt.to_json())}
