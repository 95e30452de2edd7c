"""The payer's side of a channel: open it on chain, pay per call through the hub, keep a
durable record of every proof signed and every receipt, and close, cooperatively when
the hub answers or unilaterally when it does not.

The record (SQLite) is written before a proof leaves the process (so the payer knows
its exposure after a crash) and again when the hub's receipt arrives (checked to be
the hub's, for that exact proof). `pay` raises `PaymentRefused` with the hub's code
for a refused payment, and `HubUnavailable` when the hub cannot be reached: the proof
stays recorded as sent-but-unacknowledged, and the next payment supersedes it.

`stream` pays many calls over one WebSocket with several payments in flight: each
window of proofs is signed and recorded in one transaction before any of it is sent,
and receipts are checked and recorded as they arrive, in order. It stops at the first
refusal (`PaymentRefused`, after recording every receipt before it).

Every other request to the hub about the channel (its state, a lost receipt, the close
consent) carries this payer's signature over it (`auth.authorization_header`): the hub
answers nobody else. A receipt names its payer, and a paid query spends it only with
this payer's signature over that query (`query_headers`, for the query API's paid
routes).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from eth_account.signers.local import LocalAccount
from web3.logs import DISCARD

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.core.chain import Gateway
from bpsa.core.errors import BpsaError
from bpsa.core.store import Store
from bpsa.core.units import units
from bpsa.sidechains.auth import authorization_header
from bpsa.sidechains.messages import WS_BATCH_MAX as WS_BATCH
from bpsa.sidechains.messages import Receipt
from bpsa.sidechains.paygate import AUTHORIZATION_HEADER, RECEIPT_HEADER

__all__ = ["ChannelClient", "HubUnavailable", "Paid", "PaymentRefused", "authorization_header"]


class PaymentRefused(BpsaError):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code


class HubUnavailable(BpsaError):
    """The hub did not answer; pay later, or close unilaterally."""


SCHEMA = """
CREATE TABLE IF NOT EXISTS proofs (
    channel INTEGER NOT NULL, nonce INTEGER NOT NULL, amount TEXT NOT NULL,
    signature TEXT NOT NULL, receipt TEXT, refused TEXT, PRIMARY KEY (channel, nonce)
);
"""


def _payment_json(channel: int, nonce: int, amount: int, signature: bytes) -> dict[str, Any]:
    """A payment as the hub reads it (`POST .../payments`, or in a WebSocket message)."""
    return {
        "channel": channel,
        "nonce": nonce,
        "amount": str(amount),
        "signature": "0x" + signature.hex(),
    }


@dataclass(frozen=True)
class Paid:
    channel: int
    nonce: int
    amount: int  # cumulative
    receipt: Receipt


class ChannelClient:
    def __init__(self, chain: Gateway, account: LocalAccount, hub_url: str, record: Path) -> None:
        self.chain = chain
        self.account = account
        self.hub_url = hub_url.rstrip("/")
        self.channels = chain.contract("Channels")
        self.bpc = chain.contract("BPC")
        self.domain = ch.domain(chain.chain_id(), str(self.channels.address))
        self.hub = str(chain.call(self.channels.functions.HUB().call))
        # `refused`: a record written before refusals were kept lacks it
        self._store = Store(record, SCHEMA, columns={"proofs": {"refused": "TEXT"}})
        self._db = self._store.db

    # -- on chain ---------------------------------------------------------------------

    def open(self, deposit: int) -> int:
        fns = [
            self.bpc.functions.approve(self.channels.address, deposit),
            self.channels.functions.open(deposit),
        ]
        receipts = self.chain.send_many(self.account, fns)
        logs = self.channels.events.ChannelOpened().process_receipt(receipts[1], errors=DISCARD)
        return int(logs[0].args.channel)

    def top_up(self, channel: int, amount: int) -> None:
        fns = [
            self.bpc.functions.approve(self.channels.address, amount),
            self.channels.functions.top_up(channel, amount),
        ]
        self.chain.send_many(self.account, fns)

    # -- paying -----------------------------------------------------------------------

    def latest(self, channel: int, acknowledged: bool = True) -> tuple[int, int, bytes] | None:
        """(nonce, amount, signature) of the last proof (acknowledged by default)."""
        where = "AND receipt IS NOT NULL" if acknowledged else ""
        row = self._db.execute(
            f"SELECT nonce, amount, signature FROM proofs WHERE channel=? {where} "
            "ORDER BY nonce DESC LIMIT 1",
            (channel,),
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), bytes.fromhex(row[2]))

    def proof(self, channel: int, nonce: int) -> tuple[int, int, bytes]:
        """A proof this payer signed earlier, from its record (nonce, amount, signature)."""
        row = self._db.execute(
            "SELECT nonce, amount, signature FROM proofs WHERE channel=? AND nonce=?",
            (channel, nonce),
        ).fetchone()
        if row is None:
            raise BpsaError(f"no proof {nonce} of channel {channel} in the record")
        return int(row[0]), int(row[1]), bytes.fromhex(row[2])

    def receipt(self, channel: int, nonce: int) -> Receipt | None:
        """The hub's receipt for proof `nonce` of `channel`, from the record (None while
        the hub has not acknowledged it)."""
        row = self._db.execute(
            "SELECT receipt FROM proofs WHERE channel=? AND nonce=?", (channel, nonce)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        try:
            return Receipt.from_json(json.loads(row[0]))
        except (KeyError, TypeError, ValueError):  # a record kept the signature alone
            raise BpsaError(
                f"the record holds receipt {nonce} of channel {channel} in an older form "
                "(the signature alone, before receipts were signed per batch): ask the hub "
                f"for it again (GET /channels/{channel}/receipt)"
            ) from None

    def pending(self, channel: int) -> tuple[int, int, bytes] | None:
        """The last proof sent on `channel` that the hub neither acknowledged nor refused
        (the hub crashed or the connection broke before it answered): the hub may hold
        it, so it is sent again, unchanged, before anything new."""
        row = self._db.execute(
            "SELECT nonce, amount, signature, receipt, refused FROM proofs WHERE channel=? "
            "ORDER BY nonce DESC LIMIT 1",
            (channel,),
        ).fetchone()
        if row is None or row[3] is not None or row[4] is not None:
            return None
        return int(row[0]), int(row[1]), bytes.fromhex(row[2])

    def reconcile(self, channel: int) -> Paid | None:
        """Send the pending proof again (see `pending`); its receipt, or None when there
        was none or the hub refuses it (recorded: the next proof supersedes it)."""
        pending = self.pending(channel)
        if pending is None:
            return None
        nonce, amount, signature = pending
        body = _payment_json(channel, nonce, amount, signature)
        try:
            data = self._post(f"/channels/{channel}/payments", body)
        except PaymentRefused as exc:
            if exc.code == "replayed":  # the hub holds it already: ask for its receipt
                data = self._get(channel, "receipt")
                held = data.get("receipt", {})
                if (int(held.get("nonce", -1)), int(held.get("amount", -1))) == (nonce, amount):
                    receipt = self._receipt(held, channel, nonce, amount)
                    self._record_receipts(channel, [(nonce, amount, receipt)])
                    return Paid(channel, nonce, amount, receipt)
            self._record_refused(channel, nonce, exc.code)
            return None
        receipt = self._receipt(data["receipt"], channel, nonce, amount)
        self._record_receipts(channel, [(nonce, amount, receipt)])
        return Paid(channel, nonce, amount, receipt)

    def pay(self, channel: int, price: int) -> Paid:
        """Pay `price` more on `channel`: sign, record, send, check the receipt (after
        settling a proof left pending by a crash: `reconcile`)."""
        self.reconcile(channel)
        last = self.latest(channel, acknowledged=False)
        acknowledged = self.latest(channel)
        nonce = (last[0] if last else 0) + 1
        amount = (acknowledged[1] if acknowledged else 0) + price
        proof = ch.BalanceProof(channel, nonce, amount)
        signature = ch.sign(proof, self.domain, bytes(self.account.key))
        self._record_sent(channel, [(nonce, amount, signature)])
        body = _payment_json(channel, nonce, amount, signature)
        try:
            data = self._post(f"/channels/{channel}/payments", body)
        except PaymentRefused as exc:
            self._record_refused(channel, nonce, exc.code)
            raise
        receipt = self._receipt(data["receipt"], channel, nonce, amount)
        self._record_receipts(channel, [(nonce, amount, receipt)])
        return Paid(channel, nonce, amount, receipt)

    def _receipt(self, r: dict[str, Any], channel: int, nonce: int, amount: int) -> Receipt:
        """The hub's receipt for exactly (channel, this payer, nonce, amount), signed by
        the hub."""
        try:
            receipt = Receipt.from_json(r)
        except (KeyError, TypeError, ValueError):
            raise BpsaError(f"the hub's receipt is malformed: {r}") from None
        mine = (channel, self.account.address.lower(), nonce, amount)
        if (receipt.channel, receipt.payer.lower(), receipt.nonce, receipt.amount) != mine:
            raise BpsaError(f"the hub's receipt is for another payment: {r}")
        if receipt.signer(self.domain) != self.hub:
            raise BpsaError("the receipt is not signed by the channel's hub")
        return receipt

    def stream(self, channel: int, prices: list[int], in_flight: int = 32) -> list[Paid]:
        """Pay each of `prices` in turn on `channel` over one WebSocket, up to
        `in_flight` payments unanswered at a time; the receipts, in order."""
        if in_flight < 1:
            raise BpsaError("in_flight is at least 1")
        if any(p <= 0 for p in prices):
            raise BpsaError("every price is a positive amount of wei")
        return asyncio.run(self._stream(channel, prices, in_flight))

    async def _stream(self, channel: int, prices: list[int], in_flight: int) -> list[Paid]:
        self.reconcile(channel)  # blocking, before the stream starts
        last = self.latest(channel, acknowledged=False)
        acknowledged = self.latest(channel)
        nonce = last[0] if last else 0
        amount = acknowledged[1] if acknowledged else 0
        key = bytes(self.account.key)
        paid: list[Paid] = []
        url = self.hub_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.ws_connect(url + "/ws", timeout=aiohttp.ClientWSTimeout(ws_close=10)) as ws,
            ):
                for start in range(0, len(prices), in_flight):
                    window = []
                    for price in prices[start : start + in_flight]:
                        nonce, amount = nonce + 1, amount + price
                        proof = ch.BalanceProof(channel, nonce, amount)
                        window.append((nonce, amount, ch.sign(proof, self.domain, key)))
                    self._record_sent(channel, window)
                    messages = [window[i : i + WS_BATCH] for i in range(0, len(window), WS_BATCH)]
                    for part in messages:  # each a JSON array of payments: one message
                        await ws.send_str(json.dumps([_payment_json(channel, *p) for p in part]))
                    answered: list[tuple[int, int, Receipt]] = []
                    try:
                        for part in messages:
                            message = await asyncio.wait_for(ws.receive(), timeout=10)
                            if message.type != aiohttp.WSMsgType.TEXT:
                                raise HubUnavailable(f"the hub closed the stream ({message.type})")
                            answers = json.loads(message.data)
                            if not isinstance(answers, list) or len(answers) != len(part):
                                raise HubUnavailable(f"the hub answered {str(answers)[:200]}")
                            for (n, a, _), data in zip(part, answers, strict=True):
                                if not isinstance(data, dict):
                                    raise HubUnavailable(f"the hub answered {str(data)[:200]}")
                                if "receipt" not in data:
                                    code, reason = str(data.get("code")), str(data.get("reason"))
                                    self._record_refused(channel, n, code, and_later=True)
                                    raise PaymentRefused(code, reason)
                                receipt = self._receipt(data["receipt"], channel, n, a)
                                answered.append((n, a, receipt))
                    finally:
                        self._record_receipts(channel, answered)
                        paid += [Paid(channel, n, a, r) for n, a, r in answered]
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise HubUnavailable(f"the hub at {self.hub_url} did not answer: {exc}") from None
        return paid

    def _record_sent(self, channel: int, window: list[tuple[int, int, bytes]]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO proofs (channel, nonce, amount, signature) VALUES (?,?,?,?)",
                [(channel, n, str(a), s.hex()) for n, a, s in window],
            )

    def _record_receipts(self, channel: int, answered: list[tuple[int, int, Receipt]]) -> None:
        with self._transaction():
            self._db.executemany(
                "UPDATE proofs SET receipt=? WHERE channel=? AND nonce=?",
                [(json.dumps(r.to_json()), channel, n) for n, _, r in answered],
            )

    def _record_refused(self, channel: int, nonce: int, code: str, and_later: bool = False) -> None:
        """The hub refused proof `nonce` (and, in a stream, every later one sent with it)."""
        which = "nonce>=?" if and_later else "nonce=?"
        self._db.execute(
            f"UPDATE proofs SET refused=? WHERE channel=? AND {which}", (code, channel, nonce)
        )

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._store.transaction()

    def hub_knows(self, channel: int) -> bool:
        """Whether the hub has seen `channel` open (its watcher follows the chain)."""
        try:
            self.status(channel)
        except PaymentRefused as exc:
            if exc.code == "unknown_channel":
                return False
            raise HubUnavailable(f"the hub refused to show channel {channel}: {exc}") from None
        return True

    def status(self, channel: int) -> dict[str, Any]:
        """The channel as the hub holds it (payer, deposit, paid, nonce, status)."""
        return self._get(channel, "channel")

    # -- paid queries -----------------------------------------------------------------

    def authorize_query(self, receipt: Receipt, request: str) -> bytes:
        """This payer's signature spending `receipt` on `request` (a query in its
        canonical form, `bpsa.core.channels.canonical_request`)."""
        digest = ch.paid_query_digest(self.domain, receipt.channel, receipt.nonce, request)
        return eip712.sign_digest(digest, bytes(self.account.key))

    def query_headers(
        self, receipt: Receipt, path: str, params: dict[str, object]
    ) -> dict[str, str]:
        """The headers that pay for one query (`path` with `params`, as the API reads
        them) with `receipt`: the receipt, and this payer's signature over the query."""
        signature = self.authorize_query(receipt, ch.canonical_request(path, params))
        return {
            RECEIPT_HEADER: json.dumps(receipt.to_json()),
            AUTHORIZATION_HEADER: "0x" + signature.hex(),
        }

    # -- the hub's HTTP API -----------------------------------------------------------

    def _signed(self, channel: int, action: str, body: bytes) -> dict[str, str]:
        key = bytes(self.account.key)
        return {"Authorization": authorization_header(self.domain, key, channel, action, body)}

    def _get(self, channel: int, action: str) -> dict[str, Any]:
        """GET the channel's `action` (its state, or its receipt), signed."""
        path = f"/channels/{channel}" + ("" if action == "channel" else f"/{action}")
        headers = self._signed(channel, action, b"")
        return self._ask(urllib.request.Request(self.hub_url + path, headers=headers))

    def _post(
        self, path: str, body: dict[str, Any] | None = None, signed: tuple[int, str] | None = None
    ) -> dict[str, Any]:
        """POST `body` as JSON; `signed` = (channel, action) adds this payer's signature."""
        data = json.dumps(body or {}).encode()
        headers = {"Content-Type": "application/json"}
        if signed is not None:
            headers |= self._signed(*signed, data)
        request = urllib.request.Request(
            self.hub_url + path, data=data, headers=headers, method="POST"
        )
        return self._ask(request)

    def _ask(self, request: urllib.request.Request) -> dict[str, Any]:
        """The hub's JSON answer; `PaymentRefused` with its code for a 4xx or 5xx,
        `HubUnavailable` when it does not answer."""
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                data: dict[str, Any] = json.loads(reply.read())
                return data
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read())
            except ValueError:
                error = {"code": f"http_{exc.code}", "reason": exc.reason}
            raise PaymentRefused(str(error.get("code")), str(error.get("reason"))) from None
        except (urllib.error.URLError, OSError) as exc:
            raise HubUnavailable(f"the hub at {self.hub_url} did not answer: {exc}") from None

    # -- closing ----------------------------------------------------------------------

    def close_cooperatively(self, channel: int) -> Any:
        """Ask the hub for its consent at the last proof and settle at once."""
        data = self._post(f"/channels/{channel}/close", signed=(channel, "close"))
        nonce, amount = int(data["nonce"]), int(data["amount"])
        mine = self.latest(channel)
        if mine is None or (mine[0], mine[1]) != (nonce, amount):
            raise BpsaError(
                f"the hub offers to close at receipt {nonce} for {units(amount)} BPC, not our "
                "last receipt"
            )
        payer_sig = ch.as_arg(bytes.fromhex(data["payer_signature"][2:]))
        hub_sig = ch.as_arg(bytes.fromhex(data["hub_signature"][2:]))
        fn = self.channels.functions.cooperative_close(channel, nonce, amount, payer_sig, hub_sig)
        return self.chain.send(self.account, fn)

    def close_unilaterally(self, channel: int) -> Any:
        """Close with our last acknowledged proof (the hub cannot claim more)."""
        mine = self.latest(channel)
        if mine is None:  # nothing paid: close claiming nothing
            fn = self.channels.functions.close(channel, 0, 0, (27, bytes(32), bytes(32)))
        else:
            nonce, amount, signature = mine
            fn = self.channels.functions.close(channel, nonce, amount, ch.as_arg(signature))
        return self.chain.send(self.account, fn)

    def settle(self, channel: int) -> Any:
        return self.chain.send(self.account, self.channels.functions.settle(channel))
